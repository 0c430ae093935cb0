"""The assembly's TurnSink hook: each turn's levelled samples reach the sinks in turn order,
from the writing thread, at the frame where the turn sits in the job's audio, and the sinks
hear once that the job's last turn is in."""

from __future__ import annotations

import threading

import numpy as np

from tests.support.assembly import assembled
from ttsjobs.contracts.job_request import OutputFormat
from ttsjobs_synthesis.assembly import TurnPlan
from ttsjobs_synthesis.providers.base import Speech


def _speech(ms: int, rate: int, hz: float, amplitude: float) -> Speech:
    t = np.arange(rate * ms // 1000) / rate
    return Speech((np.sin(2 * np.pi * hz * t) * amplitude).astype(np.int16), rate)


class _Recorder:
    def __init__(self) -> None:
        self.turns: list[tuple[int, np.ndarray, int, int]] = []
        self.finished_calls = 0
        self.threads: set[int] = set()
        self.turns_at_finish = -1

    def turn_written(self, index: int, samples: np.ndarray, start_frame: int, rate: int) -> None:
        self.threads.add(threading.get_ident())
        self.turns.append((index, samples.copy(), start_frame, rate))

    def finished(self) -> None:
        self.finished_calls += 1
        self.turns_at_finish = len(self.turns)


TURNS = [
    (_speech(1_300, 22050, 220, 8000), TurnPlan(pause_after_ms=300)),
    (_speech(2_700, 16000, 330, 2000), TurnPlan(volume=0.5, pause_after_ms=0)),
    (_speech(900, 22050, 440, 12000), TurnPlan(volume=1.5, pause_after_ms=2_000)),
    (_speech(1_600, 24000, 550, 20000), TurnPlan(pause_after_ms=700)),
]


async def test_sinks_get_every_turn_in_order_where_it_sits_in_the_audio():
    first, second = _Recorder(), _Recorder()
    job = await assembled(TURNS, fmt=OutputFormat.flac, order=[3, 1, 0, 2], sinks=[first, second])
    mix = job.samples()
    for recorder in (first, second):
        assert [t[0] for t in recorder.turns] == [0, 1, 2, 3]
        assert recorder.finished_calls == 1 and recorder.turns_at_finish == 4
        assert threading.get_ident() not in recorder.threads, "written off the event loop"
    covered = np.zeros(len(mix), dtype=bool)
    for index, samples, start, rate in first.turns:
        assert rate == job.rate
        assert samples.dtype == np.float32
        span = job.spans[index]
        assert round(start * 1000 / rate) == span.start_ms
        assert round((start + len(samples)) * 1000 / rate) == span.end_ms
        # FLAC keeps 16 bits: each turn's samples are the file's at that place, to a step.
        np.testing.assert_allclose(mix[start : start + len(samples)], samples, atol=2 / 32768)
        covered[start : start + len(samples)] = True
    assert not np.any(mix[~covered]), "outside the turns only the pauses' silence"


async def test_a_job_with_no_sinks_is_unchanged():
    plain = await assembled(TURNS, fmt=OutputFormat.flac)
    watched = await assembled(TURNS, fmt=OutputFormat.flac, sinks=[_Recorder()])
    assert plain.data == watched.data
