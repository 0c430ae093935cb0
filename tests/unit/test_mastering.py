"""Mastering, measured by an independent meter (pyloudnorm, scipy's resampler) on the file the
assembly made: each preset's loudness within 1 LU of its target and its peaks under its
ceiling; ACX's three limits; the job's own meter agreeing with pyloudnorm; and the mastering
pass, read back block by block, giving what the whole mix at once would."""

from __future__ import annotations

import functools
import tracemalloc

import numpy as np
import pytest

from tests.support import loudness
from tests.support.assembly import assembled
from tests.support.decoding import decoded
from ttsjobs.contracts.job_request import Mastering, OutputFormat
from ttsjobs_synthesis import mastering
from ttsjobs_synthesis.assembly import TurnPlan
from ttsjobs_synthesis.providers.base import Speech

RATE = 24000


@functools.cache
def _dialogue(seconds: float = 2.5, pause_ms: int = 400) -> list:
    """Two voices 8 dB apart and a quiet third, with pauses, as a dialogue's turns."""
    turns = []
    for i in range(6):
        speech = loudness.speechlike(seconds, RATE, seed=i, level=[0.9, 0.25, 0.05][i % 3])
        turns.append((speech, TurnPlan(volume=[1.0, 1.0, 1.5][i % 3], pause_after_ms=pause_ms)))
    return turns


async def test_podcast_is_minus_16_lufs_with_true_peaks_under_minus_1_dbtp():
    job = await assembled(_dialogue(), fmt=OutputFormat.flac, mastering=Mastering.podcast)
    samples, _ = decoded(job.data)
    assert abs(loudness.integrated_lufs(samples, RATE) + 16) <= 1.0
    assert loudness.true_peak_dbtp(samples) <= -1.0
    # The result reports what an independent meter finds.
    assert job.loudness is not None
    assert abs(job.loudness.integrated_lufs - loudness.integrated_lufs(samples, RATE)) < 0.1
    assert abs(job.loudness.true_peak_dbtp - loudness.true_peak_dbtp(samples)) < 0.2
    assert job.loudness.loudness_range_lu >= 0


@pytest.mark.parametrize(("fmt", "kbps"), [(OutputFormat.mp3, 128), (OutputFormat.m4a, 96)])
async def test_podcast_in_a_lossy_format_keeps_its_ceiling_once_decoded(fmt, kbps):
    job = await assembled(_dialogue(), fmt=fmt, bitrate_kbps=kbps, mastering=Mastering.podcast)
    samples, rate = decoded(job.data)
    assert abs(loudness.integrated_lufs(samples, rate) + 16) <= 1.0
    assert loudness.true_peak_dbtp(samples) <= -1.0


async def test_audiobook_meets_acx_rms_peak_and_noise_floor():
    # A second between paragraphs: ACX measures its noise floor where nobody speaks.
    turns = _dialogue(pause_ms=1000)
    job = await assembled(turns, fmt=OutputFormat.wav, mastering=Mastering.audiobook)
    samples, _ = decoded(job.data)
    assert -23.0 <= loudness.rms_db(samples) <= -18.0
    assert loudness.sample_peak_db(samples) <= -3.0
    assert loudness.true_peak_dbtp(samples) <= -3.0
    assert loudness.noise_floor_db(samples, RATE) <= -60.0


async def test_none_leaves_the_levelled_turns_and_reports_their_loudness():
    turns = _dialogue()
    plain = await assembled(turns, fmt=OutputFormat.flac)
    samples, _ = decoded(plain.data)
    assert plain.premaster is None, "nothing mastered: the file is the mix"
    assert plain.loudness is not None
    assert abs(plain.loudness.integrated_lufs - loudness.integrated_lufs(samples, RATE)) < 0.1
    assert abs(plain.loudness.integrated_lufs + 20) < 1.5, "every turn levelled to -20 LUFS"


async def test_the_premaster_mix_is_the_levelled_turns():
    turns = _dialogue()
    mastered = await assembled(turns, fmt=OutputFormat.wav, mastering=Mastering.podcast)
    plain = await assembled(turns, fmt=OutputFormat.wav)
    assert mastered.premaster is not None
    plain_samples, _ = decoded(plain.data)
    assert len(mastered.premaster) == len(plain_samples)
    np.testing.assert_allclose(mastered.premaster, plain_samples, atol=1.5 / 32768)


def test_the_meter_agrees_with_pyloudnorm_and_an_independent_true_peak():
    speech = loudness.speechlike(12, RATE, seed=9, level=0.7)
    samples = speech.samples.astype(np.float32) / 32768
    meter = mastering.LoudnessMeter(RATE)
    for start in range(0, len(samples), 3001):  # pieces that fall across hop bounds
        meter.add(samples[start : start + 3001])
    measured = meter.result()
    assert abs(measured.integrated_lufs - loudness.integrated_lufs(samples, RATE)) < 0.01
    assert abs(measured.true_peak_dbtp - loudness.true_peak_dbtp(samples)) < 0.1
    assert abs(measured.rms_db - loudness.rms_db(samples)) < 0.01


def test_a_peak_between_samples_is_found():
    # A quarter-rate sine sampled 45 degrees off its peaks: every sample at 0.707, the wave at 1.
    n = np.arange(RATE)
    fade = np.minimum(1.0, np.minimum(n, RATE - 1 - n) / 2400)  # no edge to ring at
    samples = (np.sin(2 * np.pi * n / 4 + np.pi / 4) * fade).astype(np.float32)
    meter = mastering.LoudnessMeter(RATE)
    meter.add(samples)
    assert loudness.sample_peak_db(samples) == pytest.approx(-3.0, abs=0.02)
    assert meter.result().true_peak_dbtp == pytest.approx(0.0, abs=0.05)


def test_mastering_block_by_block_is_mastering_the_whole_mix(monkeypatch):
    monkeypatch.setattr(mastering, "_BLOCK", 5_000)  # many blocks, limiting across their joins
    speech = loudness.speechlike(6, RATE, seed=3, level=0.9)
    samples = speech.samples.astype(np.float64) / 32768
    mix = mastering.FloatMix()
    try:
        mix.write(samples)
        measured = mastering.LoudnessMeter(RATE)
        measured.add(samples)
        out: list[np.ndarray] = []
        mastering.master(mix, RATE, Mastering.podcast, measured.result(), out.append)
        blockwise = np.concatenate(out)
        limiter = mastering._Limiter(mix, RATE, 10 ** (-1.5 / 20))
        gain = mastering._compensated_gain(limiter, 0.0)  # any gain: the same in both
        monkeypatch.setattr(mastering, "_BLOCK", len(samples))
        whole = limiter.block(0, gain)
        monkeypatch.setattr(mastering, "_BLOCK", 5_000)
        pieces = np.concatenate([limiter.block(s, gain) for s in range(0, len(samples), 5_000)])
    finally:
        mix.close()
    assert len(blockwise) == len(samples)
    np.testing.assert_allclose(pieces, whole, atol=1e-12)


def test_mastering_holds_a_block_in_memory_not_the_mix(monkeypatch):
    monkeypatch.setattr(mastering, "_BLOCK", 2**14)  # a mix of 90 blocks, in a second or two
    speech = loudness.speechlike(20, RATE, seed=5, level=0.8)
    piece = speech.samples.astype(np.float32) / 32768
    mix = mastering.FloatMix()
    meter = mastering.LoudnessMeter(RATE)
    written = 0

    def count(block: np.ndarray) -> None:
        nonlocal written
        written += len(block)

    try:
        for _ in range(2):
            mix.write(piece)
            meter.add(piece)
        tracemalloc.start()
        mastering.master(mix, RATE, Mastering.podcast, meter.result(), count)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        mix.close()
    assert written == 40 * RATE
    # About 20 block-sized float64 arrays at once; the mix alone would be 11 MB as float64.
    assert peak < 24 * 2**14 * 8, f"{peak / 2**20:.1f} MB"


async def test_a_silent_job_is_mastered_to_silence_and_reported_as_such():
    silence = Speech(np.zeros(RATE, dtype=np.int16), RATE)
    job = await assembled([silence, silence], fmt=OutputFormat.wav, mastering=Mastering.podcast)
    samples, _ = decoded(job.data)
    assert len(samples) == len(job.premaster) and not np.any(samples)
    reported = mastering.loudness_of(Mastering.podcast, job.loudness)
    assert reported is not None
    assert (reported.integrated_lufs, reported.true_peak_dbtp) == (None, None)
    assert reported.loudness_range_lu == 0
