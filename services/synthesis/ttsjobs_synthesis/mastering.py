"""Mastering: the job's finished mix brought to a publishing standard, and measured.

- ``podcast``: -16 LUFS integrated, true peak at most -1 dBTP (Apple Podcasts and the platforms
  that follow it).
- ``audiobook``: ACX's limits: RMS between -23 and -18 dB, peaks at most -3 dB, a noise floor at
  most -60 dB (the pauses between turns are digital silence; the gain stays near unity, so the
  voices' own floor does not rise much).
- ``none``: each turn levelled to -20 LUFS (audio.py), nothing more; the mix is only measured.

Loudness is ITU-R BS.1770-4's (pyloudnorm's K-weighting filters, gated 400 ms blocks of four
100 ms hops), loudness range EBU Tech 3342's (3 s windows, 95th minus 10th percentile), the
true peak that of the signal oversampled 4x. The limiter works on that oversampled peak, so no
peak between two samples passes the ceiling: its gain falls over 10 ms before a peak (look-ahead),
holds for 40 ms and rises again over 10 ms.

Memory holds a block, never the job: the meter takes the mix as it is written; the mastering
pass reads the mix back from its file (``FloatMix``) block by block, each with enough samples on
either side that its output is what the whole signal at once would give.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from scipy.ndimage import minimum_filter1d
from scipy.signal import firwin, sosfilt

from ttsjobs.contracts.job_events import Loudness
from ttsjobs.contracts.job_request import Mastering
from ttsjobs_synthesis import spool
from ttsjobs_synthesis.audio import k_weighting

OVERSAMPLE = 4
# 32 taps a phase (129 in all, Kaiser 8): a peak between samples near the Nyquist frequency
# reads a little high rather than low, beside scipy's and BS.1770's shorter filters.
_TAPS_PER_PHASE = 32
_HALF = _TAPS_PER_PHASE // 2  # base samples on either side that one oversampled value needs
_HOPS_PER_BLOCK = 4  # BS.1770's 400 ms blocks, 75 % overlap
_HOPS_PER_WINDOW = 30  # EBU 3342's 3 s short-term windows
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_RANGE_RELATIVE_GATE_LU = -20.0
_LOOKAHEAD_S = 0.010
_HOLD_S = 0.040
_BLOCK = 2**17  # samples the mastering pass reads at a time (about 5 s at 24 kHz)
_SILENCE_BLOCK = 2**16
_PROBES = 12  # pieces of the mix the limiter's loss is estimated on
_PROBE = 2**15
_COMPENSATIONS = 4
_CLOSE_ENOUGH_LU = 0.05
_MOST_COMPENSATION_DB = 6.0  # a mix that needs more is squashed enough already


@dataclass(frozen=True)
class Preset:
    integrated_lufs: float | None  # the target, if the preset sets one by BS.1770 loudness
    rms_db: float | None  # the target, if it sets one by plain RMS (ACX)
    ceiling_dbtp: float  # the limiter's; a little under the standard's, for the encoder


# The ceilings sit 0.5 dB under the standards': a lossy encoder's peaks may pass the mix's a
# little, and the standards judge the file as delivered.
PRESETS: dict[Mastering, Preset] = {
    Mastering.podcast: Preset(integrated_lufs=-16.0, rms_db=None, ceiling_dbtp=-1.5),
    Mastering.audiobook: Preset(integrated_lufs=None, rms_db=-20.0, ceiling_dbtp=-3.5),
}


@dataclass(frozen=True)
class Measured:
    integrated_lufs: float  # -inf: silence
    true_peak_dbtp: float  # -inf: silence
    loudness_range_lu: float
    rms_db: float  # -inf: silence


@functools.cache
def _oversampling_filter() -> np.ndarray:
    """A linear-phase low-pass at the original Nyquist frequency, for 4x upsampling: every
    fourth tap but the centre is zero, so the original samples pass unchanged."""
    taps = firwin(OVERSAMPLE * _TAPS_PER_PHASE + 1, 1 / OVERSAMPLE, window=("kaiser", 8.0))
    return np.asarray(taps * OVERSAMPLE, dtype=np.float64)


def peak_envelope(samples: np.ndarray) -> np.ndarray:
    """For each sample n of ``samples[HALF:-HALF]``: the largest magnitude of the 4x
    oversampled signal from n up to n + 1 (the samples at either end are the filter's
    context)."""
    count = len(samples) - 2 * _HALF
    if count <= 0:
        return np.zeros(0)
    plain = samples.astype(np.float64, copy=False)
    envelope = np.abs(plain[_HALF:-_HALF])  # phase 0: the samples themselves
    taps = _oversampling_filter()
    for phase in range(1, OVERSAMPLE):
        # Phase p's value at index j of a full convolution stands for time j - HALF + p/4;
        # "valid" drops the first TAPS - 1, so sample n's is at n + 1 - HALF.
        between = np.convolve(plain, taps[phase::OVERSAMPLE], mode="valid")
        np.maximum(envelope, np.abs(between[1 : 1 + count]), out=envelope)
    return envelope


class LoudnessMeter:
    """BS.1770 loudness, EBU loudness range, RMS and true peak of mono float samples fed in
    order, in pieces of any size; it keeps the K-weighted energy per 100 ms hop (about 1 MB
    for 3 hours) and nothing else of the audio."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._sos = k_weighting(rate)
        self._state = np.zeros((self._sos.shape[0], 2))
        self._hops: list[float] = []
        self._hop_energy = 0.0
        self._frames = 0
        self._squares = 0.0
        self._peak = 0.0
        self._tail = np.zeros(2 * _HALF)  # the last samples, the oversampling's context

    def _hop_bound(self, hop: int) -> int:
        return hop * self.rate // 10

    def add(self, samples: np.ndarray) -> None:
        if not len(samples):
            return
        plain = samples.astype(np.float64)
        weighted, self._state = sosfilt(self._sos, plain, zi=self._state)
        squared = np.square(weighted)
        start, end = self._frames, self._frames + len(samples)
        hop = len(self._hops) + 1  # the bound the current hop ends at
        cuts = []
        while self._hop_bound(hop) <= end:
            cuts.append(self._hop_bound(hop) - start)
            hop += 1
        # The energy of each piece between hop bounds; the last piece runs on into the next add.
        running = np.concatenate(([0.0], np.cumsum(squared)))
        pieces = np.diff(running[[0, *cuts, len(squared)]])
        for energy in pieces[:-1]:
            self._hops.append(self._hop_energy + float(energy))
            self._hop_energy = 0.0
        self._hop_energy += float(pieces[-1])
        self._frames = end
        self._squares += float(np.dot(plain, plain))
        context = np.concatenate((self._tail, plain))
        self._peak = max(self._peak, float(peak_envelope(context).max(initial=0.0)))
        self._tail = context[-2 * _HALF :]

    def add_silence(self, frames: int) -> None:
        while frames > 0:
            block = min(frames, _SILENCE_BLOCK)
            self.add(np.zeros(block))
            frames -= block

    def result(self) -> Measured:
        # The signal ends in silence: its last samples' peaks need that as their context.
        ending = np.concatenate((self._tail, np.zeros(2 * _HALF)))
        peak = max(self._peak, float(peak_envelope(ending).max(initial=0.0)))
        hops = np.array([*self._hops, self._hop_energy] if self._hop_energy else self._hops)
        hop_frames = self.rate / 10
        return Measured(
            integrated_lufs=_gated_loudness(hops, hop_frames, self._frames),
            true_peak_dbtp=_db(peak),
            loudness_range_lu=_loudness_range(hops, hop_frames),
            rms_db=float(10 * np.log10(self._squares / self._frames))
            if self._squares
            else float("-inf"),
        )


def _db(amplitude: float) -> float:
    return 20 * float(np.log10(amplitude)) if amplitude > 0 else float("-inf")


def _lufs(power: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return -0.691 + 10 * np.log10(power)


def _window_powers(hops: np.ndarray, per_window: int, hop_frames: float) -> np.ndarray:
    sums = np.convolve(hops, np.ones(per_window), mode="valid")
    return sums / (per_window * hop_frames)


def _gated_loudness(hops: np.ndarray, hop_frames: float, frames: int) -> float:
    if len(hops) >= _HOPS_PER_BLOCK:
        power = _window_powers(hops, _HOPS_PER_BLOCK, hop_frames)
    elif frames:  # under 400 ms: one block of what there is
        power = np.array([hops.sum() / frames])
    else:
        return float("-inf")
    loudness = _lufs(power)
    audible = power[loudness >= _ABSOLUTE_GATE_LUFS]
    if not len(audible):
        return float("-inf")
    relative_gate = float(_lufs(np.array([audible.mean()]))[0]) + _RELATIVE_GATE_LU
    gated = power[(loudness > relative_gate) & (loudness > _ABSOLUTE_GATE_LUFS)]
    return float(_lufs(np.array([gated.mean()]))[0])


def _loudness_range(hops: np.ndarray, hop_frames: float) -> float:
    if len(hops) < _HOPS_PER_WINDOW:
        return 0.0
    power = _window_powers(hops, _HOPS_PER_WINDOW, hop_frames)
    loudness = _lufs(power)
    audible = power[loudness > _ABSOLUTE_GATE_LUFS]
    if not len(audible):
        return 0.0
    relative_gate = float(_lufs(np.array([audible.mean()]))[0]) + _RANGE_RELATIVE_GATE_LU
    kept = loudness[(loudness > relative_gate) & (loudness > _ABSOLUTE_GATE_LUFS)]
    low, high = np.percentile(kept, [10, 95])
    return float(high - low)


def loudness_of(preset: Mastering, measured: Measured | None) -> Loudness | None:
    """As the job's result reports it: to a hundredth, silence as null."""
    if measured is None:
        return None

    def finite(value: float) -> float | None:
        return round(value, 2) if np.isfinite(value) else None

    return Loudness(
        preset=preset.value,
        integrated_lufs=finite(measured.integrated_lufs),
        true_peak_dbtp=finite(measured.true_peak_dbtp),
        loudness_range_lu=round(measured.loudness_range_lu, 2),
    )


def gain_db(preset: Mastering, measured: Measured) -> float:
    """The gain that brings the mix to the preset's target (before the limiter); 0 for
    silence, which no gain makes louder."""
    target = PRESETS[preset]
    if target.integrated_lufs is not None and np.isfinite(measured.integrated_lufs):
        return target.integrated_lufs - measured.integrated_lufs
    if target.rms_db is not None and np.isfinite(measured.rms_db):
        return target.rms_db - measured.rms_db
    return 0.0


class FloatMix:
    """The job's mix before mastering, as raw float32 in a file with no name (like the
    spool's: the space goes when it is closed or the process dies), read back in blocks."""

    def __init__(self, directory: Path | None = None) -> None:
        # Named as the spool's are, so that spool.prepare clears any a crashed process left.
        self._file: BinaryIO = tempfile.TemporaryFile(dir=directory, prefix=spool.PREFIX)
        self.frames = 0

    def write(self, samples: np.ndarray) -> None:
        self._file.write(np.asarray(samples, dtype="<f4").tobytes())
        self.frames += len(samples)

    def write_silence(self, frames: int) -> None:
        while frames > 0:
            block = min(frames, _SILENCE_BLOCK)
            self.write(np.zeros(block, dtype=np.float32))
            frames -= block

    def read(self, start: int, count: int) -> np.ndarray:
        """Samples ``start`` to ``start + count``; zeros outside the mix."""
        out = np.zeros(count, dtype=np.float64)
        first, last = max(start, 0), min(start + count, self.frames)
        if last > first:
            self._file.seek(first * 4)
            data = np.frombuffer(self._file.read((last - first) * 4), dtype="<f4")
            out[first - start : first - start + len(data)] = data
        return out

    def close(self) -> None:
        self._file.close()


def master(
    mix: FloatMix,
    rate: int,
    preset: Mastering,
    measured: Measured,
    write: Callable[[np.ndarray], None],
) -> Measured:
    """The mix brought to ``preset`` (``measured`` is the mix's own), block by block to
    ``write``; the result as measured."""
    limiter = _Limiter(mix, rate, 10 ** (PRESETS[preset].ceiling_dbtp / 20))
    gain = _compensated_gain(limiter, gain_db(preset, measured))
    meter = LoudnessMeter(rate)
    for start in range(0, mix.frames, _BLOCK):
        out = limiter.block(start, gain).astype(np.float32)
        meter.add(out)
        write(out)
    return meter.result()


class _Limiter:
    def __init__(self, mix: FloatMix, rate: int, ceiling: float) -> None:
        self.mix = mix
        self.rate = rate
        self.ceiling = ceiling
        self.lookahead = max(1, round(_LOOKAHEAD_S * rate))
        self.hold = round(_HOLD_S * rate)
        self.before = self.hold + self.lookahead + _HALF
        self.after = self.lookahead + _HALF

    def block(self, start: int, gain: float, size: int | None = None) -> np.ndarray:
        """The mix from ``start`` (a block, or what is left), times ``gain``, limited."""
        count = min(size or _BLOCK, self.mix.frames - start)
        context = self.mix.read(start - self.before, self.before + count + self.after) * gain
        reduction = _limiter_gain(context, self.ceiling, self.lookahead, self.hold)
        inner = slice(self.before, self.before + count)
        return context[inner] * reduction[inner]


def _compensated_gain(limiter: _Limiter, wanted_db: float) -> float:
    """The gain that lands on the target after the limiter took the peaks down. The limiter's
    loss (in K-weighted energy) is estimated on blocks spread over the mix, at most _PROBES so
    that a long job costs no more, and the gain found by the secant method: more gain, more
    limiting."""
    pieces = -(-limiter.mix.frames // _PROBE)
    probes = min(pieces, _PROBES)
    starts = sorted({i * pieces // probes * _PROBE for i in range(probes)})
    sos = k_weighting(limiter.rate)
    reference = sum(_energy(sos, limiter.mix.read(s, _PROBE)) for s in starts)
    if not reference:
        return float(10 ** (wanted_db / 20))

    def missing_db(gain_db: float) -> float:
        """How far under the target the limited probes land at ``gain_db``."""
        gain = 10 ** (gain_db / 20)
        limited = sum(_energy(sos, limiter.block(s, gain, _PROBE)) for s in starts)
        return float(10 * np.log10(reference * gain**2 / max(limited, 1e-30))) - (
            gain_db - wanted_db
        )

    low, high = wanted_db, wanted_db + _MOST_COMPENSATION_DB
    x0, f0 = wanted_db, missing_db(wanted_db)
    x1 = min(x0 + f0, high)
    for _ in range(_COMPENSATIONS):
        f1 = missing_db(x1)
        if abs(f1) < _CLOSE_ENOUGH_LU or f1 == f0:
            break
        x0, f0, x1 = x1, f1, min(max(x1 + f1 * (x1 - x0) / (f0 - f1), low), high)
    return float(10 ** (x1 / 20))


def _energy(sos: np.ndarray, samples: np.ndarray) -> float:
    return float(np.square(sosfilt(sos, samples)).sum())


def _limiter_gain(samples: np.ndarray, ceiling: float, lookahead: int, hold: int) -> np.ndarray:
    """Per sample, the gain under which the oversampled peaks stay below ``ceiling``: the
    least needed over the coming ``lookahead`` samples, held ``hold`` samples, then averaged
    over ``lookahead`` samples, so it moves smoothly. Right only at least ``hold + lookahead
    + HALF`` samples from the start and ``lookahead + HALF`` from the end."""
    needed = np.ones(len(samples))
    envelope = peak_envelope(samples)
    over = envelope > ceiling
    needed[_HALF : len(samples) - _HALF][over] = ceiling / envelope[over]
    # minimum_filter1d's window for output i is [i - size // 2, i - size // 2 + size - 1].
    ahead = _shifted(minimum_filter1d(needed, lookahead, mode="nearest"), lookahead // 2)
    held = _shifted(minimum_filter1d(ahead, hold + 1, mode="nearest"), (hold + 1) // 2 - hold)
    sums = np.cumsum(np.concatenate((np.ones(lookahead), held)))
    return (sums[lookahead:] - sums[:-lookahead]) / lookahead


def _shifted(values: np.ndarray, by: int) -> np.ndarray:
    """``out[i] = values[i + by]``, the ends filled with 1 (no gain reduction)."""
    out = np.ones_like(values)
    if by >= 0:
        out[: len(values) - by] = values[by:]
    else:
        out[-by:] = values[: len(values) + by]
    return out
