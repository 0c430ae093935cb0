"""Joining turns and encoding them."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from ttsjobs.contracts.job_request import OutputFormat
from ttsjobs_synthesis.audio import encode, join_turns
from ttsjobs_synthesis.providers.base import Speech


def _tone(ms: int, rate: int) -> Speech:
    t = np.arange(rate * ms // 1000) / rate
    return Speech((np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16), rate)


def test_turns_are_joined_in_order_with_pauses():
    samples, rate, spans = join_turns([_tone(500, 22050), _tone(250, 22050)], pause_ms=300)
    assert rate == 22050
    assert [(s.start_ms, s.end_ms) for s in spans] == [(0, 500), (800, 1050)]
    assert len(samples) == round(1.05 * 22050)
    assert not samples[int(0.55 * rate) : int(0.75 * rate)].any(), "the pause is silent"


def test_a_voice_at_another_rate_is_resampled():
    samples, rate, spans = join_turns([_tone(500, 22050), _tone(500, 16000)], pause_ms=0)
    assert rate == 22050
    assert spans[1].end_ms == 1000
    assert abs(len(samples) - 22050) <= 1


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_decodes_to_the_same_length(fmt):
    samples, rate, _ = join_turns([_tone(700, 22050)], pause_ms=0)
    decoded, decoded_rate = sf.read(io.BytesIO(encode(samples, rate, fmt)))
    assert decoded_rate == rate
    # Lossy codecs pad a little at the edges; the length stays within 60 ms.
    assert abs(len(decoded) - len(samples)) < 0.06 * rate
