"""``JobReads.current``, the gateway's one choice of where a job's answer comes from: on the
in-memory bus, with the projection's table as rows folded from the bus's first events, the
stream reads counted. A job is never missing because the table lags, never older than its
events, and the stream is read only when the live job cache cannot vouch for the row."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.jobs.state import JobState, JobStatus, fold
from ttsjobs.readmodel.rows import COLUMNS, row_from_state
from ttsjobs_gateway.errors import JobNotFound
from ttsjobs_gateway.job_changes import cancel_job, rename_job
from ttsjobs_gateway.live.live_jobs import LiveJobs
from ttsjobs_gateway.live.stream_watch import StreamWatch
from ttsjobs_gateway.publishers import job_created
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_synthesis.publishers import job_failed, job_progressed, job_started

USER = str(uuid.uuid4())


class CountingBus(MemoryBus):
    """The bus, counting the reads that would be direct gets on the stream."""

    top_ups = 0

    async def caught_up(self, state: JobState) -> JobState | None:
        self.top_ups += 1
        return await super().caught_up(state)


class Table:
    """The projection's table as a pool: each job folded from the bus's first ``upto``
    events, answered as the gateway's SELECT of one row would be."""

    def __init__(self, bus: MemoryBus) -> None:
        self.bus = bus
        self.upto = 0

    def project(self, upto: int | None = None) -> None:
        self.upto = len(self.bus.history) if upto is None else upto

    async def fetchrow(self, query: str, job_id: str) -> dict[str, Any] | None:
        state = fold([(s, e) for s, e in self.bus._events_of(job_id) if s <= self.upto])
        if state is None:
            return None
        return {**dict(zip(COLUMNS, row_from_state(state), strict=False)), "read_model_error": None}


def _reads(bus: MemoryBus, table: Table, live: LiveJobs | None = None) -> JobReads:
    return JobReads(table, live=live or LiveJobs(), events=bus)  # type: ignore[arg-type]


def _tap_saw_everything(watch: StreamWatch, bus: MemoryBus, *, from_seq: int = 1) -> None:
    for seq, event in enumerate(bus.history, 1):
        if seq >= from_seq:
            watch.saw(event.subject, seq, pending=len(bus.history) - seq)


def _created():
    return job_created(MultiRoleRequest.model_validate(dialogue("espeak")), user_id=USER)


def _running_job() -> tuple[CountingBus, str]:
    created = _created()
    job = created.job_id
    return CountingBus(created, job_started(job, user_id=USER, worker="w", attempt=1)), job


def _progress(job: str) -> JobEvent:
    return job_progressed(job, user_id=USER, done=1, total=3, turn_index=0)


async def test_a_job_the_table_has_not_got_yet_is_read_from_its_events():
    created = _created()
    bus = MemoryBus(created)
    state = await _reads(bus, Table(bus)).current(created.job_id, USER)
    assert state.id == created.job_id and state.status is JobStatus.pending


async def test_unknown_and_foreign_jobs_are_not_found():
    created = _created()
    bus = MemoryBus(created)
    table = Table(bus)
    reads = _reads(bus, table)
    with pytest.raises(JobNotFound):
        await reads.current(str(uuid.uuid4()), USER)
    with pytest.raises(JobNotFound):  # from the events: the table has no row yet
        await reads.current(created.job_id, str(uuid.uuid4()))
    table.project()
    with pytest.raises(JobNotFound):  # from the row's owner
        await reads.current(created.job_id, str(uuid.uuid4()))


async def test_a_current_row_of_an_unfinished_job_is_served_without_reading_the_stream():
    bus, job = _running_job()
    live = LiveJobs()
    _tap_saw_everything(live.watch, bus)
    table = Table(bus)
    table.project()
    reads = _reads(bus, table, live)
    for _ in range(5):
        assert (await reads.current(job, USER)).status is JobStatus.processing
    assert bus.top_ups == 0, "a read asked the stream although the live cache vouched for the row"


async def test_an_event_the_tap_saw_past_the_row_is_read_from_the_stream():
    bus, job = _running_job()
    live = LiveJobs()
    table = Table(bus)
    table.project()  # the table has the job running; then it ends
    bus.history.append(job_failed(job, "no voice", user_id=USER))
    _tap_saw_everything(live.watch, bus)
    state = await _reads(bus, table, live).current(job, USER)
    assert state.status is JobStatus.failed, "a finished job showed as still running"
    assert bus.top_ups == 1


async def test_without_the_tap_at_the_streams_end_the_stream_is_read():
    bus, job = _running_job()
    table = Table(bus)
    table.project()
    bus.history.append(_progress(job))  # stored, not yet delivered to the tap
    behind = LiveJobs()
    behind.watch.saw(job, 2, pending=1)  # the tap heard of seq 2 while seq 3 waited
    started_late = LiveJobs()
    _tap_saw_everything(started_late.watch, bus, from_seq=3)  # cannot know what came before 3
    nothing_yet = LiveJobs()
    for live in (behind, started_late, nothing_yet):
        table.project(2)
        state = await _reads(bus, table, live).current(job, USER)
        assert state.progress_done == 1 and state.last_event_seq == 3
    assert bus.top_ups == 3


async def test_after_a_reconnection_nothing_is_vouched_for_until_the_tap_hears_again():
    bus, job = _running_job()
    link = {"up": True, "reconnects": 0}
    watch = StreamWatch(link=lambda: (link["up"], link["reconnects"]))
    _tap_saw_everything(watch, bus)
    assert watch.vouches_for(fold(bus._events_of(job)))
    link["up"] = False
    assert not watch.vouches_for(fold(bus._events_of(job)))
    link.update(up=True, reconnects=1)
    assert not watch.vouches_for(fold(bus._events_of(job)))
    bus.history.append(_progress(job))
    watch.saw(job, 3)
    assert watch.vouches_for(fold(bus._events_of(job)))


def _projected_with_own_writes_noted(bus: CountingBus) -> tuple[LiveJobs, Table]:
    """The job tapped and projected so far; what this gateway publishes next is noted live,
    as bootstrap() wires it, before the tap delivers it."""
    live = LiveJobs()
    _tap_saw_everything(live.watch, bus)
    table = Table(bus)
    table.project()
    bus.publish = live.noting(bus.publish)  # type: ignore[method-assign]
    return live, table


async def test_the_gateways_own_cancel_is_never_followed_by_the_older_state():
    bus, job = _running_job()
    live, table = _projected_with_own_writes_noted(bus)
    await cancel_job(job, user_id=USER, history=bus)  # the tap has not delivered it yet
    state = await _reads(bus, table, live).current(job, USER)
    assert state.cancel_requested_at is not None


def test_forgetting_a_job_vouches_only_for_rows_past_it():
    watch = StreamWatch(remembered=2)
    watch.saw("a", 1)
    watch.saw("b", 2)
    watch.saw("c", 3)  # "a" and its seq 1 are forgotten
    row_of_a = JobState.model_construct(id="a", last_event_seq=0)
    assert not watch.vouches_for(row_of_a)
    row_of_c = JobState.model_construct(id="c", last_event_seq=3)
    assert watch.vouches_for(row_of_c)


def _failed_job() -> tuple[CountingBus, str]:
    bus, job = _running_job()
    bus.history.append(job_failed(job, "no voice", user_id=USER))
    return bus, job


async def test_the_gateways_own_rename_of_a_finished_job_is_read_back_at_once():
    # A finished row used to be the answer outright: a PATCH of the title, then a GET on the
    # same gateway, showed the old title until the projection applied the rename.
    bus, job = _failed_job()
    live, table = _projected_with_own_writes_noted(bus)
    await rename_job(job, "renamed", user_id=USER, history=bus)  # not yet tapped nor projected
    state = await _reads(bus, table, live).current(job, USER)
    assert state.title == "renamed" and state.status is JobStatus.failed


async def test_another_gateways_rename_of_a_finished_job_is_read_once_tapped():
    bus, job = _failed_job()
    live = LiveJobs()
    table = Table(bus)
    table.project()
    reads = _reads(bus, table, live)
    _tap_saw_everything(live.watch, bus)
    assert (await reads.current(job, USER)).title == "Two friends"
    assert bus.top_ups == 0, "a finished row with nothing past it asked the stream"
    await rename_job(job, "elsewhere", user_id=USER, history=bus)  # published by another gateway
    _tap_saw_everything(live.watch, bus, from_seq=len(bus.history))
    assert (await reads.current(job, USER)).title == "elsewhere"
    assert bus.top_ups == 1
