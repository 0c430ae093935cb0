"""The speech answer's waits, with the job's reads faked: a job that does not start within the
wait is a 503 naming it, a job that ends without audio is an error before any byte, and the
listener at the fan-out is let go however the answer ends."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from ttsjobs.jobs.state import TERMINAL, JobStatus
from ttsjobs_gateway.feeds.fan_out import FanOut
from ttsjobs_gateway.openai_compat.answer import SpeechAnswer
from ttsjobs_gateway.openai_compat.errors import JobEndedWithoutAudio, JobNotStarted
from ttsjobs_gateway.openai_compat.request import ResponseFormat


@dataclass
class FakeState:
    status: JobStatus
    id: str = "job-1"
    user_id: str = "user-1"
    error_message: str | None = None
    result: object = None

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL


class FakeReads:
    def __init__(self, *states: FakeState) -> None:
        self.states = list(states)
        self.reads = 0

    async def current(self, job_id: str, user_id: str) -> FakeState:
        self.reads += 1
        return self.states[0] if len(self.states) == 1 else self.states.pop(0)


def _answer(reads: FakeReads, feeds: FanOut, *, start_wait_s: float = 0.3) -> SpeechAnswer:
    return SpeechAnswer(reads.states[0], fmt=ResponseFormat.mp3, reads=reads,  # type: ignore[arg-type]
                        feeds=feeds, s3=None, bucket="b", start_wait_s=start_wait_s,  # type: ignore[arg-type]
                        deadline_s=5)  # fmt: skip


async def test_a_job_still_pending_after_the_wait_is_a_503_with_its_id():
    feeds = FanOut()
    answer = _answer(FakeReads(FakeState(JobStatus.pending)), feeds)
    began = time.monotonic()
    with pytest.raises(JobNotStarted) as refused:
        await answer.started()
    assert 0.3 <= time.monotonic() - began < 2
    assert refused.value.headers["X-Ttsjobs-Job-Id"] == "job-1"
    assert refused.value.headers["x-should-retry"] == "false"
    answer.close()
    answer.close()  # twice is harmless
    assert not feeds._by_job


async def test_a_job_that_fails_before_any_audio_is_an_error_answer():
    reads = FakeReads(
        FakeState(JobStatus.processing), FakeState(JobStatus.failed, error_message="no voice")
    )
    answer = _answer(reads, FanOut())
    assert (await answer.started()).status is JobStatus.processing
    with pytest.raises(JobEndedWithoutAudio, match="failed: no voice"):
        await answer.begin(live=False)
    answer.close()
