"""GET of an unfinished job reads the job's events only when the relay cannot vouch for the
row (ttsjobs_gateway.stream_watch): on the in-memory bus, with a table of folded states, the
stream reads counted, and the shortcut never showing an older state than the events."""

from __future__ import annotations

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.jobs.state import JobState, JobStatus, fold
from ttsjobs_gateway.handlers import find_job
from ttsjobs_gateway.job_changes import cancel_job
from ttsjobs_gateway.publishers import job_created
from ttsjobs_gateway.stream_watch import StreamWatch, WatchedHistory
from ttsjobs_synthesis.publishers import job_failed, job_progressed, job_started

USER = "u1"


class CountingBus(MemoryBus):
    """The bus, counting the reads that would be direct gets on the stream."""

    reads = 0

    async def caught_up(self, state: JobState) -> JobState | None:
        self.reads += 1
        return await super().caught_up(state)


class Table:
    """The projection's table: the job folded from its first ``upto`` events."""

    def __init__(self, bus: MemoryBus) -> None:
        self.bus = bus
        self.upto = 0

    def project(self, upto: int | None = None) -> None:
        self.upto = len(self.bus.history) if upto is None else upto

    async def job(self, job_id: str, user_id: str) -> JobState | None:
        """The gateway's ``JobReads.job``: the row as the projection left it."""
        events = [(s, e) for s, e in self.bus._events_of(job_id) if s <= self.upto]
        return fold(events)


def _relay_saw_everything(watch: StreamWatch, bus: MemoryBus, *, from_seq: int = 1) -> None:
    for seq, event in enumerate(bus.history, 1):
        if seq >= from_seq:
            pending = len(bus.history) - seq
            watch.saw(event.subject, seq, pending=pending)


def _running_job() -> tuple[CountingBus, str]:
    created = job_created(MultiRoleRequest.model_validate(dialogue("espeak")), user_id=USER)
    job = created.job_id
    bus = CountingBus(created, job_started(job, user_id=USER, worker="w", attempt=1))
    return bus, job


def _progress(job: str) -> JobEvent:
    return job_progressed(job, user_id=USER, done=1, total=3, turn_index=0)


async def _get(job: str, table: Table, history: WatchedHistory) -> JobState:
    return await find_job(job, user_id=USER, reads=table, history=history)  # type: ignore[arg-type]


async def test_a_current_row_of_an_unfinished_job_is_served_without_reading_the_stream():
    bus, job = _running_job()
    watch = StreamWatch()
    _relay_saw_everything(watch, bus)
    table = Table(bus)
    table.project()
    history = WatchedHistory(bus, watch)
    for _ in range(5):
        assert (await _get(job, table, history)).status is JobStatus.processing
    assert bus.reads == 0, "a GET read the stream although the relay vouched for the row"


async def test_an_event_the_relay_saw_past_the_row_is_read_from_the_stream():
    bus, job = _running_job()
    watch = StreamWatch()
    table = Table(bus)
    table.project()  # the table has the job running; then it ends
    bus.history.append(job_failed(job, "no voice", user_id=USER))
    _relay_saw_everything(watch, bus)
    state = await _get(job, table, WatchedHistory(bus, watch))
    assert state.status is JobStatus.failed, "a finished job showed as still running"
    assert bus.reads == 1


async def test_without_the_relay_at_the_streams_end_the_stream_is_read():
    bus, job = _running_job()
    table = Table(bus)
    table.project()
    bus.history.append(_progress(job))  # stored, not yet delivered to the relay
    behind = StreamWatch()
    behind.saw(job, 2, pending=1)  # the relay heard of seq 2 while seq 3 waited
    started_late = StreamWatch()
    _relay_saw_everything(started_late, bus, from_seq=3)  # cannot know what came before 3
    nothing_yet = StreamWatch()
    for watch in (behind, started_late, nothing_yet):
        table.project(2)
        state = await _get(job, table, WatchedHistory(bus, watch))
        assert state.progress_done == 1 and state.last_event_seq == 3
    assert bus.reads == 3


async def test_after_a_reconnection_nothing_is_vouched_for_until_the_relay_hears_again():
    bus, job = _running_job()
    link = {"up": True, "reconnects": 0}
    watch = StreamWatch(link=lambda: (link["up"], link["reconnects"]))
    _relay_saw_everything(watch, bus)
    table = Table(bus)
    table.project()
    assert watch.vouches_for(fold(bus._events_of(job)))
    link["up"] = False
    assert not watch.vouches_for(fold(bus._events_of(job)))
    link.update(up=True, reconnects=1)
    assert not watch.vouches_for(fold(bus._events_of(job)))
    bus.history.append(_progress(job))
    watch.saw(job, 3)
    table.project()
    assert watch.vouches_for(fold(bus._events_of(job)))


async def test_the_gateways_own_cancel_is_never_followed_by_the_older_state():
    bus, job = _running_job()
    watch = StreamWatch()
    _relay_saw_everything(watch, bus)
    table = Table(bus)
    table.project()
    history = WatchedHistory(bus, watch)
    await cancel_job(job, user_id=USER, history=history)  # the relay has not delivered it yet
    state = await _get(job, table, history)
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
