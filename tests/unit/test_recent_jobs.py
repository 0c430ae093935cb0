"""GETs of the jobs this gateway accepted, answered from the relay's events: current while the
watch vouches, never missing an event, and back to the table on any doubt."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.unit.test_projection_handler import _completed, _created, _expired
from ttsjobs.jobs.state import JobStatus, apply
from ttsjobs_gateway.errors import JobNotFound
from ttsjobs_gateway.feeds import EventRelay
from ttsjobs_gateway.recent_jobs import RecentJobs
from ttsjobs_gateway.views import JobReads
from ttsjobs_synthesis.publishers import job_started


class Link:
    def __init__(self) -> None:
        self.up, self.reconnects = True, 0

    def __call__(self) -> tuple[bool, int]:
        return self.up, self.reconnects


class NoTable:
    """A pool that must not be asked: the answer comes from the relay's events."""

    async def fetchrow(self, *args):
        raise AssertionError("the table was read")


class EmptyTable:
    def __init__(self) -> None:
        self.reads = 0

    async def fetchrow(self, *args):
        self.reads += 1
        return None


def _msg(seq: int, event, *, data: bytes | None = None):
    return SimpleNamespace(
        subject=f"ttsjobs.job.{event.subject}.{event.kind}",
        data=event.model_dump_json().encode() if data is None else data,
        metadata=SimpleNamespace(sequence=SimpleNamespace(stream=seq), num_pending=0),
    )


def _relay(link: Link | None = None) -> EventRelay:
    return EventRelay(js=None, link=link or Link())  # type: ignore[arg-type]


async def _posted(relay: EventRelay, seq: int = 1, user: str = "u1"):
    """A POST: the stream acknowledges JobCreated, the gateway keeps the state it got back,
    and the relay then receives the event."""
    created = _created(user)
    state = apply(None, created, seq)
    assert state is not None
    relay.watch.appended(created.subject, seq)  # what WatchedHistory.append notes
    relay.recent.accepted(state)
    await relay._on_msg(_msg(seq, created))
    return created


async def test_a_job_accepted_here_follows_its_events_without_reading_the_table():
    relay = _relay()
    reads = JobReads(NoTable(), recent=relay.recent)  # type: ignore[arg-type]
    created = await _posted(relay)
    assert (await reads.job(created.subject, "u1")).status is JobStatus.pending
    await relay._on_msg(_msg(2, job_started(created.subject, user_id="u1", worker="w", attempt=1)))
    assert (await reads.job(created.subject, "u1")).status is JobStatus.processing
    await relay._on_msg(_msg(3, _completed(created.subject)))
    done = await reads.job(created.subject, "u1")
    assert done.status is JobStatus.completed and done.result is not None
    assert done.last_event_seq == 3 and done.started_at is not None
    with pytest.raises(JobNotFound):
        await reads.job(created.subject, "someone else")


async def test_without_the_watch_vouching_the_table_answers():
    link = Link()
    relay = _relay(link)
    table = EmptyTable()
    reads = JobReads(table, recent=relay.recent)  # type: ignore[arg-type]
    created = await _posted(relay)
    link.reconnects += 1  # events may have been stored that the relay has not received
    assert await reads.job(created.subject, "u1") is None and table.reads == 1
    # The relay hears again, with a later event of the job: the state holds it.
    await relay._on_msg(_msg(2, job_started(created.subject, user_id="u1", worker="w", attempt=1)))
    assert (await reads.job(created.subject, "u1")).status is JobStatus.processing


async def test_an_event_appended_here_is_waited_for_before_the_state_is_used_again():
    relay = _relay()
    table = EmptyTable()
    reads = JobReads(table, recent=relay.recent)  # type: ignore[arg-type]
    created = await _posted(relay)
    relay.watch.appended(created.subject, 2)  # this gateway's own cancel, say, acknowledged
    assert await reads.job(created.subject, "u1") is None, "the table (and stream) decide"


async def test_a_post_that_comes_back_after_a_later_event_is_not_kept():
    relay = _relay()
    created = _created()
    await relay._on_msg(_msg(1, created))
    await relay._on_msg(_msg(2, job_started(created.subject, user_id="u1", worker="w", attempt=1)))
    state = apply(None, created, 1)
    assert state is not None
    relay.recent.accepted(state)  # the POST's continuation runs only now
    assert not relay.recent.wants(created.subject)
    await relay._on_msg(_msg(3, _completed(created.subject)))
    assert relay.recent.state(created.subject) is None, "it would have missed JobStarted"


async def test_an_unreadable_or_expiring_event_hands_the_job_back_to_the_table():
    relay = _relay()
    first, second = await _posted(relay, 1), await _posted(relay, 2)
    await relay._on_msg(
        _msg(3, job_started(first.subject, user_id="u1", worker="w", attempt=1), data=b"{}")
    )
    assert not relay.recent.wants(first.subject)
    await relay._on_msg(_msg(4, _expired(second.subject, second.time)))
    assert not relay.recent.wants(second.subject)


def test_long_jobs_are_not_kept_and_few_are():
    recent = RecentJobs(_relay().watch, kept=2, max_text_chars=1_000)
    states = [apply(None, _created(), seq) for seq in (1, 2, 3)]
    for state in states:
        assert state is not None
        recent.accepted(state)
    assert [recent.wants(s.id) for s in states if s] == [False, True, True]
    long = _created()
    long.data.request.turns[0].text = "x" * 1_001
    state = apply(None, long, 4)
    assert state is not None
    recent.accepted(state)
    assert not recent.wants(state.id)
