"""Joining turns: resampling, equal loudness across roles, volume, pauses, every format."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf

from tests.support.assembly import assembled
from tests.support.decoding import decoded
from ttsjobs.contracts.job_request import OutputFormat
from ttsjobs_synthesis.assembly import TurnPlan
from ttsjobs_synthesis.audio import TARGET_LUFS, integrated_loudness, loudness_of
from ttsjobs_synthesis.providers.base import Speech
from ttsjobs_synthesis.spool import AudioSpool


def _tone(ms: int, rate: int, amplitude: float = 8000) -> Speech:
    t = np.arange(rate * ms // 1000) / rate
    return Speech((np.sin(2 * np.pi * 440 * t) * amplitude).astype(np.int16), rate)


async def test_turns_are_joined_in_order_with_their_pauses():
    turns = [
        (_tone(500, 22050), TurnPlan(pause_after_ms=300)),
        (_tone(250, 22050), TurnPlan(pause_after_ms=1000)),
        (_tone(250, 22050), TurnPlan(pause_after_ms=700)),  # the last pause is not added
    ]
    job = await assembled(turns)
    samples = job.samples()
    assert [(s.start_ms, s.end_ms) for s in job.spans] == [(0, 500), (800, 1050), (2050, 2300)]
    assert abs(len(samples) - 2.3 * 22050) <= 2 and job.duration_ms == 2300
    assert not samples[int(0.55 * 22050) : int(0.75 * 22050)].any(), "the pause is silent"


async def test_a_voice_at_another_rate_is_resampled_to_the_output_rate():
    job = await assembled([_tone(500, 22050), _tone(500, 16000)], rate=48000)
    assert job.spans[1].end_ms == 1000 and job.rate == 48000
    assert abs(len(job.samples()) - 48000) <= 2


async def test_roles_come_out_equally_loud_and_volume_scales_one():
    quiet, loud = _tone(1000, 22050, amplitude=500), _tone(1000, 22050, amplitude=20000)
    samples = (await assembled([quiet, loud])).samples()
    first, second = samples[:22050], samples[22050:]
    assert abs(loudness_of(first, 22050) - TARGET_LUFS) < 0.5
    assert abs(loudness_of(second, 22050) - TARGET_LUFS) < 0.5

    samples = (await assembled([quiet, (loud, TurnPlan(volume=0.5))])).samples()
    difference = loudness_of(samples[:22050], 22050) - loudness_of(samples[22050:], 22050)
    assert abs(difference - 6.02) < 0.5  # half the amplitude is 6 dB quieter


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 24000, 44100, 48000])
def test_loudness_is_pyloudnorms_to_the_last_digits(rate):
    rng = np.random.default_rng(rate)
    # Lengths at and around the block bounds, where the last blocks reach past the end.
    lengths = [int(rate * 0.4), int(rate * 0.4) + 1, int(rate * 0.45), rate, rate * 7 + rate // 20]
    lengths += [int(n) for n in rng.integers(int(rate * 0.4), rate * 3, 8)]
    meter = pyloudnorm.Meter(rate)
    for n in lengths:
        noise = rng.standard_normal(n) * 0.1
        half_quiet = np.concatenate((noise[: n // 2] * 1e-3, noise[n // 2 :]))
        for samples in (noise, half_quiet, 0.3 * np.sin(np.arange(n) * 0.05), noise * 1e-5):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pyloudnorm's log of zero
                expected = meter.integrated_loudness(samples)
            assert integrated_loudness(samples, rate) == pytest.approx(expected, abs=1e-9), n


def test_silence_has_no_loudness():
    assert integrated_loudness(np.zeros(22050), 22050) == float("-inf")


@pytest.mark.parametrize("fmt", list(OutputFormat))
async def test_every_format_decodes_to_the_same_length(fmt):
    # Long turns, written in blocks: each encoder gets many writes, as in a long job.
    turns = [(_tone(7_000, 22050), TurnPlan(pause_after_ms=1_500)), _tone(700, 22050)]
    job = await assembled(turns, fmt=fmt)
    samples, decoded_rate = decoded(job.data)
    rate = 48000 if fmt is OutputFormat.opus else 22050
    assert decoded_rate == job.rate == rate and job.duration_ms == 9_200
    # Lossy codecs pad a little at the edges; the length stays within 60 ms, beside AAC's
    # priming frame (1024 samples, which the MP4's edit list tells players to skip).
    priming = 1024 if fmt is OutputFormat.m4a else 0
    assert abs(len(samples) - priming - 9.2 * rate) < 0.06 * rate


def _wav(samples: np.ndarray, rate: int) -> bytes:
    spool = AudioSpool(OutputFormat.wav, rate)
    try:
        spool.write(samples)
        spool.finish()
        return spool.reader().read()
    finally:
        spool.close()


def test_wav_holds_the_samples_as_16_bit_pcm_clipped_at_full_scale():
    rate = 22050
    samples = np.concatenate(
        [
            np.sin(np.linspace(0, 200, rate)).astype(np.float32) * 0.5,
            np.array([1.5, -1.5], np.float32),
        ]
    )
    info = sf.info(io.BytesIO(_wav(samples, rate)))
    assert (info.format, info.subtype, info.samplerate, info.channels) == ("WAV", "PCM_16", rate, 1)
    decoded, _ = sf.read(io.BytesIO(_wav(samples, rate)), dtype="int16")
    assert len(decoded) == len(samples)
    assert np.abs(decoded[:rate] - np.rint(samples[:rate] * 32767)).max() <= 1
    assert list(decoded[-2:]) == [32767, -32768], "out-of-range samples clip, never wrap"
