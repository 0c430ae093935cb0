"""An independent loudness meter for tests of mastering: pyloudnorm for BS.1770 loudness, and
scipy's polyphase resampler for the 4x oversampled true peak (synthesis uses neither: its
meter filters in one pass and oversamples with a filter of its own)."""

from __future__ import annotations

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from ttsjobs_synthesis.providers.base import Speech


def integrated_lufs(samples: np.ndarray, rate: int) -> float:
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def true_peak_dbtp(samples: np.ndarray) -> float:
    oversampled = resample_poly(samples.astype(np.float64), 4, 1)
    return float(20 * np.log10(np.max(np.abs(oversampled))))


def sample_peak_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.max(np.abs(samples))))


def rms_db(samples: np.ndarray) -> float:
    """ACX's RMS: over the whole file, a full-scale sine at -3 dB."""
    return float(10 * np.log10(np.mean(np.square(samples.astype(np.float64)))))


def noise_floor_db(samples: np.ndarray, rate: int) -> float:
    """The quietest 500 ms of the file by RMS, as ACX's check measures its noise floor."""
    window = rate // 2
    running = np.concatenate(([0.0], np.cumsum(np.square(samples.astype(np.float64)))))
    quietest = max(float((running[window:] - running[:-window]).min()) / window, 0.0)
    return float(10 * np.log10(quietest)) if quietest > 0 else float("-inf")


def speechlike(seconds: float, rate: int, *, seed: int, level: float = 0.3) -> Speech:
    """Syllables of a voiced tone with harmonics (100-250 Hz), short gaps and an occasional
    plosive (a click of noise): speech's crest factor and gaps, without an engine."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * rate))
    at = 0
    while at < len(out):
        length = int(rng.uniform(0.12, 0.3) * rate)
        t = np.arange(length) / rate
        f0 = rng.uniform(100, 250)
        voiced = sum(np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6)) / k for k in range(1, 9))
        syllable = voiced * np.hanning(length) * rng.uniform(0.3, 1.0)
        if rng.random() < 0.3:  # a plosive's burst, a little above the vowel's peak
            click = int(0.004 * rate)
            syllable[:click] += np.convolve(rng.standard_normal(click), np.ones(4) / 4, "same")
        end = min(at + length, len(out))
        out[at:end] = syllable[: end - at]
        at = end + int(rng.uniform(0.03, 0.2) * rate)
    out *= level / np.max(np.abs(out))
    return Speech((out * 32767).astype(np.int16), rate)
