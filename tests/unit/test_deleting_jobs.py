"""DELETE of a job, decided on its events: a finished job is deleted (JobDeleted) and then
gone from the gateway's reads at once; an unfinished one is cancelled as before; someone
else's job, or one already deleted, is a 404 that publishes nothing."""

from __future__ import annotations

import pytest

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import (
    JobCancelled,
    JobCancelRequested,
    JobDeleted,
    JobStarted,
    JobStartedData,
)
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.jobs.state import JobStatus
from ttsjobs_gateway.errors import InvalidRequest, JobNotCancellable, JobNotFound
from ttsjobs_gateway.job_changes import delete_job
from ttsjobs_gateway.live.live_jobs import LiveJobs
from ttsjobs_gateway.publishers import job_cancelled, job_created
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.reads.pages import id_range


class Noted:
    """The reads port as far as a deletion uses it: which jobs it was told are deleted."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def deleted(self, job_id: str) -> None:
        self.ids.append(job_id)


def _created(user_id="u1"):
    return job_created(MultiRoleRequest.model_validate(dialogue("espeak")), user_id=user_id)


def _started(job_id: str) -> JobStarted:
    data = JobStartedData(user_id="u1", worker="w", attempt=1)
    return JobStarted(id=f"{job_id}.started", source="test", subject=job_id, data=data)


async def test_a_finished_job_is_deleted_and_a_second_delete_is_a_404():
    created = _created()
    bus = MemoryBus(created, job_cancelled(created.job_id, user_id="u1"))
    reads = Noted()
    assert await delete_job(created.job_id, user_id="u1", history=bus, reads=reads) is None
    assert type(bus.history[-1]) is JobDeleted and reads.ids == [created.job_id]
    assert await bus.state(created.job_id) is None

    published = len(bus.history)
    with pytest.raises(JobNotFound):
        await delete_job(created.job_id, user_id="u1", history=bus, reads=Noted())
    assert len(bus.history) == published, "deleting twice publishes nothing the second time"


async def test_someone_elses_job_is_a_404_and_nothing_is_published():
    created = _created()
    bus = MemoryBus(created, job_cancelled(created.job_id, user_id="u1"))
    reads = Noted()
    with pytest.raises(JobNotFound):
        await delete_job(created.job_id, user_id="someone else", history=bus, reads=reads)
    assert len(bus.history) == 2 and reads.ids == []


async def test_unfinished_jobs_are_cancelled_as_before():
    pending = _created()
    bus = MemoryBus(pending)
    state = await delete_job(pending.job_id, user_id="u1", history=bus, reads=Noted())
    assert state is not None and state.status is JobStatus.cancelled
    assert type(bus.history[-1]) is JobCancelled

    running = _created()
    bus = MemoryBus(running, _started(running.job_id))
    state = await delete_job(running.job_id, user_id="u1", history=bus, reads=Noted())
    assert state is not None and state.status is JobStatus.processing
    assert type(bus.history[-1]) is JobCancelRequested


async def test_a_job_that_finishes_while_it_is_being_cancelled_is_not_deleted_instead():
    created = _created()
    bus = MemoryBus(created)
    original_state = bus.state

    async def cancelled_meanwhile(job_id):
        seen = await original_state(job_id)
        if len(bus.history) == 1:
            bus.history.append(job_cancelled(created.job_id, user_id="u1"))  # lands after our read
        return seen

    bus.state = cancelled_meanwhile
    with pytest.raises(JobNotCancellable):
        await delete_job(created.job_id, user_id="u1", history=bus, reads=Noted())
    assert not any(isinstance(e, JobDeleted) for e in bus.history)


async def test_a_deleted_job_is_gone_from_the_reads_before_the_table_knows():
    created = _created()
    bus = MemoryBus(created, job_cancelled(created.job_id, user_id="u1"))
    # The table (pool=None) is never asked: the job's events answer, and they hold the delete.
    reads = JobReads(pool=None, live=LiveJobs(), events=bus)  # type: ignore[arg-type]
    await delete_job(created.job_id, user_id="u1", history=bus, reads=reads)
    with pytest.raises(JobNotFound):
        await reads.current(created.job_id, "u1")


def test_an_id_prefix_is_a_range_of_ids():
    assert id_range("a0c5") == (
        "a0c50000-0000-0000-0000-000000000000",
        "a0c5ffff-ffff-ffff-ffff-ffffffffffff",
    )
    assert id_range("A0C5E1F2-3b")[0] == "a0c5e1f2-3b00-0000-0000-000000000000"
    full = "a0c5e1f2-3b4c-4d5e-8f90-0123456789ab"
    assert id_range(full) == (full, full)


@pytest.mark.parametrize("bad", ["", "-", "xyz", "a0c5 ", "g", "0" * 33, "a" * 32 + "-----"])
def test_a_bad_id_prefix_is_a_422_naming_it(bad):
    with pytest.raises(InvalidRequest) as refused:
        id_range(bad)
    assert [p.field for p in refused.value.problems] == ["id_prefix"]
