"""Stems: one FLAC track per speaker, as long as the job's audio, that sum back to it (the mix
before mastering) within −60 dB, zipped the same way every time."""

from __future__ import annotations

import hashlib
import io
import zipfile

import numpy as np
import pytest
import soundfile as sf
from pydantic import ValidationError

from tests.support.assembly import assembled
from ttsjobs.contracts.job_request import MultiRoleRequest, OutputFormat, Turn
from ttsjobs_synthesis.assembly import TurnPlan
from ttsjobs_synthesis.audio import Span
from ttsjobs_synthesis.providers.base import Speech
from ttsjobs_synthesis.stems import StemWriter, stem_name


def _speech(ms: int, rate: int, hz: float, amplitude: float) -> Speech:
    t = np.arange(rate * ms // 1000) / rate
    return Speech((np.sin(2 * np.pi * hz * t) * amplitude).astype(np.int16), rate)


SPEAKERS = ["Alice", "Bob", "Alice", "旁白/Narrator", "Bob"]
TURNS = [
    (_speech(1_300, 24000, 220, 8000), TurnPlan(pause_after_ms=300)),
    (_speech(900, 16000, 330, 2000), TurnPlan(volume=0.5, pause_after_ms=0)),
    (_speech(700, 24000, 440, 12000), TurnPlan(volume=1.5, pause_after_ms=1_200)),
    (_speech(1_100, 22050, 550, 20000), TurnPlan(pause_after_ms=400)),
    (_speech(500, 24000, 660, 9000), TurnPlan(pause_after_ms=900)),
]


def _unzipped(data: bytes) -> dict[str, tuple[np.ndarray, int]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: sf.read(io.BytesIO(archive.read(name)), dtype="float64")
            for name in archive.namelist()
        }


async def _job(
    fmt: OutputFormat, order: list[int] | None = None
) -> tuple[bytes, np.ndarray, list[Span]]:
    writer = StemWriter(SPEAKERS)
    try:
        job = await assembled(TURNS, fmt=fmt, sinks=[writer], order=order)
        packed = writer.archive()
        data = packed.file.read()
        assert len(data) == packed.size_bytes
        assert hashlib.sha256(data).hexdigest() == packed.sha256
        return data, job.samples().astype(np.float64), job.spans
    finally:
        writer.close()


async def test_one_aligned_track_per_speaker_that_sums_back_to_the_mix():
    data, mix, spans = await _job(OutputFormat.wav, order=[4, 2, 0, 3, 1])
    stems = _unzipped(data)
    assert list(stems) == ["01-Alice.flac", "02-Bob.flac", "03-旁白_Narrator.flac"]
    for samples, rate in stems.values():
        assert rate == 24000
        assert len(samples) == len(mix), "every stem as long as the audio"
    total = sum(samples for samples, _ in stems.values())
    error_db = 10 * np.log10(np.sum((total - mix) ** 2) / np.sum(mix**2))
    assert error_db < -60, error_db
    # Each speaker's turns where they sit in the audio, silence elsewhere.
    for index, speaker in enumerate(SPEAKERS):
        span = spans[index]
        first, last = span.start_ms * 24, span.end_ms * 24
        for name, (samples, _) in stems.items():
            inside = samples[first + 24 : last - 24]
            assert np.any(inside) == (name.removesuffix(".flac")[3:] == speaker.replace("/", "_"))


async def test_the_same_job_makes_the_same_zip():
    first, _, _ = await _job(OutputFormat.mp3)
    again, _, _ = await _job(OutputFormat.mp3, order=[1, 0, 4, 3, 2])
    assert first == again


def test_only_a_job_that_asks_for_stems_gets_them():
    turns = [Turn(speaker="A", text="x"), Turn(speaker="B", text="y")]
    request = MultiRoleRequest(turns=turns)
    assert StemWriter.of(request) is None
    asked = StemWriter.of(request.model_copy(update={"stems": True}))
    assert asked is not None
    asked.close()
    with pytest.raises(ValidationError):
        MultiRoleRequest(turns=turns, stems="yes")


def test_stem_names_keep_the_speaker_but_not_what_a_file_name_cannot_hold():
    assert stem_name(1, "Alice") == "01-Alice.flac"
    assert stem_name(12, "主持人 小明") == "12-主持人 小明.flac"
    assert stem_name(2, "../x\x00y") == "02-_x_y.flac"
    assert stem_name(3, "...") == "03-speaker.flac"
