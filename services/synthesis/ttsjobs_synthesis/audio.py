"""How one turn sounds in the job's audio.

Each turn is resampled to the output rate (soxr), brought to the same loudness (ITU-R BS.1770,
with pyloudnorm's K-weighting filters) so that no role is much louder than another, and scaled by
its volume (the turn's own, else its role's). assembly.py places the turns and their pauses;
spool.py encodes them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pyloudnorm
import soxr
from scipy.signal import sosfilt

from ttsjobs.contracts.job_request import OutputFormat, needs_high_rate
from ttsjobs_synthesis.providers.base import Speech

TARGET_LUFS = -20.0  # speech at a comfortable level with room for the limiter
_PEAK = 0.98
# BS.1770 gates on 400 ms blocks that overlap by 75 %; shorter turns are levelled by RMS instead.
_MIN_LOUDNESS_S = _BLOCK_S = 0.4
_STEP = 0.25
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0


@dataclass(frozen=True)
class Span:
    start_ms: int
    end_ms: int


def output_rate(
    first_rate: int, requested: int | None, fmt: OutputFormat, bitrate_kbps: int | None = None
) -> int:
    """The job's rate: as requested, else 48 kHz for Opus (its native rate) and for a bitrate
    the format codes only at a high rate, else the first turn's."""
    if requested:
        return requested
    if fmt is OutputFormat.opus or needs_high_rate(fmt, bitrate_kbps):
        return 48_000
    return first_rate


def to_float(speech: Speech, rate: int) -> np.ndarray:
    samples = speech.samples.astype(np.float32) / 32768.0
    if speech.sample_rate != rate and len(samples):
        samples = soxr.resample(samples, speech.sample_rate, rate).astype(np.float32)
    return samples


@functools.cache
def k_weighting(rate: int) -> np.ndarray:
    """The two K-weighting stages as second-order sections, designed by pyloudnorm."""
    stages = pyloudnorm.Meter(rate)._filters.values()
    return np.array([np.concatenate([f.b / f.a[0], f.a / f.a[0]]) for f in stages])


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """BS.1770-4 gated loudness (LUFS) of mono samples of at least one 400 ms block.

    pyloudnorm's ``integrated_loudness`` with the same filters, block bounds and gates, computed
    with one filter pass and array operations: its per-block Python loop took most of a tone
    job's levelling (0.4 ms a second of audio; this takes under half).
    """
    squared = np.square(sosfilt(k_weighting(rate), samples.astype(np.float64)))
    blocks = int(np.round((len(samples) / rate - _BLOCK_S) / (_BLOCK_S * _STEP))) + 1
    # Block j spans the four 100 ms hops j … j+3. The hops' bounds are computed as pyloudnorm
    # computes its blocks' (float products truncated), so each block holds the same samples.
    bounds = (_BLOCK_S * (np.arange(blocks + 4) * _STEP) * rate).astype(np.int64)
    if bounds[-1] > len(squared):  # the last blocks reach past the end: zeros, as if clipped
        squared = np.concatenate((squared, np.zeros(bounds[-1] - len(squared))))
    hops = np.add.reduceat(squared[: bounds[-1]], bounds[:-1])
    power = (hops[:blocks] + hops[1 : blocks + 1] + hops[2 : blocks + 2] + hops[3:]) / (
        _BLOCK_S * rate
    )
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10.0 * np.log10(power)
        audible = power[block_lufs >= _ABSOLUTE_GATE_LUFS]
        if not len(audible):
            return float("-inf")
        relative_gate = -0.691 + 10.0 * np.log10(np.mean(audible)) + _RELATIVE_GATE_LU
        gated = power[(block_lufs > relative_gate) & (block_lufs > _ABSOLUTE_GATE_LUFS)]
        return float(-0.691 + 10.0 * np.log10(np.mean(gated) if len(gated) else 0.0))


def loudness_of(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS) of float samples; RMS-based for turns under 400 ms."""
    if len(samples) / rate >= _MIN_LOUDNESS_S:
        return integrated_loudness(samples, rate)
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    return float(20 * np.log10(max(rms, 1e-9)) - 0.691)  # close to LUFS for speech


def speech_loudness(speech: Speech) -> float:
    """To the three decimals the segment cache keeps: a turn levels the same whether it was
    just synthesized or read back, so the same dialogue gives byte-identical audio (which is
    then stored once)."""
    return round(loudness_of(speech.samples.astype(np.float32) / 32768.0, speech.sample_rate), 3)


def level(
    samples: np.ndarray, rate: int, *, volume: float = 1.0, loudness: float | None = None
) -> np.ndarray:
    """Bring one turn to TARGET_LUFS, apply its volume, and keep peaks below full scale.

    ``loudness`` is the turn's own, when already known (resampling does not change it)."""
    if not len(samples) or not np.any(samples):
        return samples
    if loudness is None:
        loudness = loudness_of(samples, rate)
    gain = 10 ** ((TARGET_LUFS - loudness) / 20) * volume if np.isfinite(loudness) else volume
    leveled = samples * gain
    peak = float(np.max(np.abs(leveled)))
    if peak > _PEAK:
        leveled *= _PEAK / peak
    return leveled.astype(np.float32)


def frames_to_ms(frames: int, rate: int) -> int:
    return round(frames * 1000 / rate)
