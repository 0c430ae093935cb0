"""The streamed assembly: turns written to disk as they finish, in any order, make the same
audio as the whole job joined in memory at once; and it stops at the job's duration limit."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from tests.support.assembly import assembled
from ttsjobs.messaging.consumer import PermanentFailure
from ttsjobs_synthesis.assembly import AudioTooLong, TurnPlan
from ttsjobs_synthesis.audio import Span, level, to_float
from ttsjobs_synthesis.providers.base import Speech


def _speech(ms: int, rate: int, hz: float, *, amplitude: float = 8000) -> Speech:
    t = np.arange(rate * ms // 1000) / rate
    return Speech((np.sin(2 * np.pi * hz * t) * amplitude).astype(np.int16), rate)


def _joined_at_once(
    turns: list[tuple[Speech, TurnPlan]], rate: int
) -> tuple[np.ndarray, list[Span]]:
    """How the job was put together before: every turn levelled, then all of them and their
    pauses concatenated in memory (the last pause left out)."""
    parts, spans, cursor = [], [], 0
    for i, (speech, plan) in enumerate(turns):
        samples = level(
            to_float(speech, rate), rate, volume=plan.volume, loudness=speech.loudness_lufs
        )
        parts.append(samples)
        spans.append(
            Span(round(cursor * 1000 / rate), round((cursor + len(samples)) * 1000 / rate))
        )
        cursor += len(samples)
        if i < len(turns) - 1 and plan.pause_after_ms:
            pause = np.zeros(round(rate * plan.pause_after_ms / 1000), dtype=np.float32)
            parts.append(pause)
            cursor += len(pause)
    return np.concatenate(parts), spans


TURNS = [
    (_speech(1_300, 22050, 220), TurnPlan(volume=1.0, pause_after_ms=300)),
    (_speech(2_700, 16000, 330, amplitude=2000), TurnPlan(volume=0.5, pause_after_ms=0)),
    (_speech(450, 22050, 440), TurnPlan(volume=1.5, pause_after_ms=2_000)),
    (_speech(3_100, 24000, 550, amplitude=20000), TurnPlan(volume=1.0, pause_after_ms=120)),
    (_speech(800, 22050, 660), TurnPlan(volume=1.0, pause_after_ms=700)),
]


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4], [3, 1, 4, 0, 2], [4, 3, 2, 1, 0]])
async def test_turns_finishing_in_any_order_make_the_audio_of_the_job_joined_at_once(order):
    job = await assembled(TURNS, order=order)
    expected, spans = _joined_at_once(TURNS, 22050)
    assert job.rate == 22050, "the first turn's rate, whichever turn finished first"
    assert job.spans == spans
    decoded, _ = sf.read(io.BytesIO(job.data), dtype="int16")
    assert np.array_equal(decoded, np.clip(np.rint(expected * 32767), -32768, 32767))
    assert job.duration_ms == round(len(expected) * 1000 / 22050)


async def test_a_requested_rate_resamples_every_turn_as_joining_at_once_did():
    job = await assembled(TURNS, rate=48000, order=[2, 0, 1, 4, 3])
    expected, spans = _joined_at_once(TURNS, 48000)
    decoded, rate = sf.read(io.BytesIO(job.data), dtype="int16")
    assert rate == 48000 and job.spans == spans
    assert np.array_equal(decoded, np.clip(np.rint(expected * 32767), -32768, 32767))


async def test_audio_that_passes_the_limit_fails_the_job_naming_the_limit(tmp_path):
    turns = [(_speech(1_500, 16000, 220), TurnPlan(pause_after_ms=400)), _speech(1_000, 16000, 330)]
    assert (await assembled(turns, max_audio_seconds=3)).duration_ms == 2_900
    with pytest.raises(AudioTooLong) as raised:
        await assembled(turns, max_audio_seconds=2, spool_dir=tmp_path)
    assert isinstance(raised.value, PermanentFailure), "a failure no redelivery can mend"
    assert str(raised.value) == (
        "the audio passed 2 seconds, the limit (TTSJOBS_LIMITS__MAX_AUDIO_SECONDS)"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("limit_s", "words"),
    [(10_800, "3 hours"), (3_600, "1 hour"), (90, "1.5 minutes"), (120, "2 minutes")],
)
def test_the_limit_is_named_in_words(limit_s, words):
    assert str(AudioTooLong(limit_s)).startswith(f"the audio passed {words}, ")
