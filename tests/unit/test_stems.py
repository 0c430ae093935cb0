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
from ttsjobs.contracts.job_request import Mastering, MultiRoleRequest, OutputFormat, Turn
from ttsjobs_synthesis.assembly import AssemblyPlan, JobAssembly, TurnPlan
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
    assert _error_db(total, mix) < -60
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


async def test_a_mastered_jobs_stems_sum_to_its_mix_before_mastering():
    writer = StemWriter(SPEAKERS)
    plan = AssemblyPlan(
        [plan for _, plan in TURNS],
        OutputFormat.wav,
        None,
        max_audio_seconds=60,
        sinks=(writer,),
        mastering=Mastering.podcast,
    )
    assembly = JobAssembly(plan)
    try:
        for index, (speech, _) in enumerate(TURNS):
            await assembly.add(index, speech)
        await assembly.finish()
        premaster = assembly.premaster_mix()
        mastered, _ = sf.read(assembly.reader(), dtype="float64")
        packed = writer.archive()
        stems = _unzipped(packed.file.read())
    finally:
        assembly.close()
        writer.close()
    assert premaster is not None
    total = sum(samples for samples, _ in stems.values())
    assert len(total) == len(premaster) == len(mastered)
    assert _error_db(total, premaster.astype(np.float64)) < -60
    assert _error_db(mastered, premaster.astype(np.float64)) > -20, "mastering changed the mix"


def _error_db(got: np.ndarray, want: np.ndarray) -> float:
    return float(10 * np.log10(np.sum((got - want) ** 2) / np.sum(want**2)))
