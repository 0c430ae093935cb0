"""The gateway's decisions on a job's events (cancel, rename, a repeated create), on the
in-memory bus: what they publish, and what they refuse; and its reads, the table first, topped
up from the job's events."""

from __future__ import annotations

import pytest

from tests.support.fakes import MemoryBus, MemoryReads
from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import JobCancelled, JobCancelRequested, JobRenamed
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.jobs.state import JobStatus
from ttsjobs_gateway.errors import JobNotCancellable, JobNotFound, TooManyRequests
from ttsjobs_gateway.handlers import _check_pending_cap, _publish_created
from ttsjobs_gateway.job_changes import cancel_job, rename_job
from ttsjobs_gateway.publishers import job_created
from ttsjobs_synthesis.publishers import job_failed, job_started


def _created(user_id="u1"):
    return job_created(MultiRoleRequest.model_validate(dialogue("espeak")), user_id=user_id)


async def test_a_pending_job_is_cancelled_at_once():
    created = _created()
    bus = MemoryBus(created)
    state = await cancel_job(created.job_id, user_id="u1", history=bus)
    assert state.status is JobStatus.cancelled and type(bus.history[-1]) is JobCancelled


async def test_a_processing_job_gets_a_cancel_request():
    created = _created()
    bus = MemoryBus(created, job_started(created.job_id, user_id="u1", worker="w", attempt=1))
    state = await cancel_job(created.job_id, user_id="u1", history=bus)
    assert type(bus.history[-1]) is JobCancelRequested
    assert state.status is JobStatus.processing and state.cancel_requested_at is not None


async def test_a_cancel_that_loses_to_a_start_asks_the_worker_instead():
    created = _created()
    bus = MemoryBus(created)
    started = job_started(created.job_id, user_id="u1", worker="w", attempt=1)
    original_state = bus.state

    async def started_meanwhile(job_id):
        seen = await original_state(job_id)
        if len(bus.history) == 1:
            bus.history.append(started)  # the worker's start lands after our read
        return seen

    bus.state = started_meanwhile
    await cancel_job(created.job_id, user_id="u1", history=bus)
    assert [type(e) for e in bus.history[1:]] == [type(started), JobCancelRequested]


async def test_finished_and_foreign_jobs_are_refused_and_nothing_is_published():
    created = _created()
    done = MemoryBus(created, job_failed(created.job_id, "no voice", user_id="u1"))
    with pytest.raises(JobNotCancellable):
        await cancel_job(created.job_id, user_id="u1", history=done)
    mine = MemoryBus(created)
    with pytest.raises(JobNotFound):
        await cancel_job(created.job_id, user_id="someone else", history=mine)
    with pytest.raises(JobNotFound):
        await cancel_job("no-such-job", user_id="u1", history=mine)
    assert len(done.history) == 2 and len(mine.history) == 1


async def test_a_rename_publishes_once_and_the_same_title_again_nothing():
    created = _created()
    bus = MemoryBus(created)
    state = await rename_job(created.job_id, "新的標題", user_id="u1", history=bus)
    again = await rename_job(created.job_id, "新的標題", user_id="u1", history=bus)
    assert state.title == again.title == "新的標題"
    assert [type(e) for e in bus.history[1:]] == [JobRenamed]
    with pytest.raises(JobNotFound):
        await rename_job(created.job_id, "x", user_id="someone else", history=bus)


async def test_a_repeated_create_answers_the_job_that_exists_and_publishes_nothing():
    created = _created()
    bus = MemoryBus()
    first = await _publish_created(created, bus)
    again = await _publish_created(created, bus)
    assert first.id == again.id == created.job_id and len(bus.history) == 1


async def test_the_pending_cap_counts_only_the_callers_own_jobs():
    created = _created()
    reads = MemoryReads(await MemoryBus(created).state(created.job_id))
    with pytest.raises(TooManyRequests):
        await _check_pending_cap(reads, "u1", 1)
    await _check_pending_cap(reads, "u2", 1)
