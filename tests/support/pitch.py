"""Median pitch of a stretch of speech, by autocorrelation: enough to tell voices apart."""

from __future__ import annotations

import numpy as np


def median_pitch_hz(samples: np.ndarray, rate: int, *, low=60.0, high=400.0) -> float:
    """The median fundamental frequency over the voiced 40 ms frames of ``samples``."""
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim > 1:
        samples = samples.mean(axis=1)
    frame, hop = int(0.04 * rate), int(0.01 * rate)
    shortest, longest = int(rate / high), int(rate / low)
    loudness = np.sqrt(np.mean(samples**2)) if len(samples) else 0.0
    pitches = []
    for start in range(0, len(samples) - frame, hop):
        chunk = samples[start : start + frame] * np.hanning(frame)
        if np.sqrt(np.mean(chunk**2)) < 0.3 * loudness:
            continue  # silence and quiet consonants
        corr = np.correlate(chunk, chunk, mode="full")[frame - 1 :]
        if corr[0] <= 0:
            continue
        lag = shortest + int(np.argmax(corr[shortest:longest]))
        if corr[lag] / corr[0] > 0.45:  # clearly periodic: a voiced frame
            pitches.append(rate / lag)
    return float(np.median(pitches)) if pitches else 0.0
