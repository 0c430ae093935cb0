"""Reads of the jobs this gateway accepted, answered from the live job cache the tap keeps:
current while the watch vouches, never missing an event, and back to the table on any doubt."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.unit.test_projection_handler import _completed, _created, _expired
from ttsjobs.jobs.state import JobStatus, apply
from ttsjobs_gateway.errors import JobNotFound
from ttsjobs_gateway.live.job_tap import JobTap
from ttsjobs_gateway.live.live_jobs import LiveJobs
from ttsjobs_gateway.live.recent_jobs import RecentJobs
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_synthesis.publishers import job_started


class Link:
    def __init__(self) -> None:
        self.up, self.reconnects = True, 0

    def __call__(self) -> tuple[bool, int]:
        return self.up, self.reconnects


class NoTable:
    """A pool that must not be asked: the answer comes from the tapped events."""

    async def fetchrow(self, *args):
        raise AssertionError("the table was read")


class EmptyTable:
    def __init__(self) -> None:
        self.reads = 0

    async def fetchrow(self, *args):
        self.reads += 1
        return None


class NoEvents:
    """The stream, for a job it has not stored (yet): counted."""

    def __init__(self) -> None:
        self.reads = 0

    async def state(self, job_id):
        self.reads += 1
        return None


class Tapped:
    """The gateway's tap with the live job cache registered, as bootstrap() composes them."""

    def __init__(self, link: Link | None = None) -> None:
        self.live = LiveJobs(link=link or Link())
        self.tap = JobTap(js=None)  # type: ignore[arg-type]
        self.tap.register(self.live)

    async def on_msg(self, msg) -> None:
        await self.tap._on_msg(msg)

    def reads(self, table) -> JobReads:
        return JobReads(table, live=self.live, events=NoEvents())  # type: ignore[arg-type]


def _msg(seq: int, event, *, data: bytes | None = None):
    return SimpleNamespace(
        subject=f"ttsjobs.job.{event.subject}.{event.kind}",
        data=event.model_dump_json().encode() if data is None else data,
        metadata=SimpleNamespace(sequence=SimpleNamespace(stream=seq), num_pending=0),
    )


async def _posted(tapped: Tapped, seq: int = 1, user: str = "u1"):
    """A POST: the stream acknowledges JobCreated, the gateway keeps the state it got back,
    and the tap then receives the event."""
    created = _created(user)
    state = apply(None, created, seq)
    assert state is not None
    tapped.live.watch.appended(created.subject, seq)  # what LiveJobs.noting notes
    tapped.live.accepted(state)
    await tapped.on_msg(_msg(seq, created))
    return created


async def test_a_job_accepted_here_follows_its_events_without_reading_the_table():
    tapped = Tapped()
    reads = tapped.reads(NoTable())
    created = await _posted(tapped)
    assert (await reads.current(created.subject, "u1")).status is JobStatus.pending
    await tapped.on_msg(_msg(2, job_started(created.subject, user_id="u1", worker="w", attempt=1)))
    assert (await reads.current(created.subject, "u1")).status is JobStatus.processing
    await tapped.on_msg(_msg(3, _completed(created.subject)))
    done = await reads.current(created.subject, "u1")
    assert done.status is JobStatus.completed and done.result is not None
    assert done.last_event_seq == 3 and done.started_at is not None
    with pytest.raises(JobNotFound):
        await reads.current(created.subject, "someone else")


async def test_without_the_watch_vouching_the_table_answers():
    link = Link()
    tapped = Tapped(link)
    table = EmptyTable()
    reads = tapped.reads(table)
    created = await _posted(tapped)
    link.reconnects += 1  # events may have been stored that the tap has not received
    with pytest.raises(JobNotFound):  # neither the (empty) table nor the stream has it
        await reads.current(created.subject, "u1")
    assert table.reads == 1
    # The tap hears again, with a later event of the job: the state holds it.
    await tapped.on_msg(_msg(2, job_started(created.subject, user_id="u1", worker="w", attempt=1)))
    assert (await reads.current(created.subject, "u1")).status is JobStatus.processing


async def test_an_event_appended_here_is_waited_for_before_the_state_is_used_again():
    tapped = Tapped()
    table = EmptyTable()
    reads = tapped.reads(table)
    created = await _posted(tapped)
    tapped.live.watch.appended(created.subject, 2)  # this gateway's own cancel, acknowledged
    with pytest.raises(JobNotFound):
        await reads.current(created.subject, "u1")
    assert table.reads == 1, "the table (and stream) decide"


async def test_a_post_that_comes_back_after_a_later_event_is_not_kept():
    tapped = Tapped()
    created = _created()
    await tapped.on_msg(_msg(1, created))
    await tapped.on_msg(_msg(2, job_started(created.subject, user_id="u1", worker="w", attempt=1)))
    state = apply(None, created, 1)
    assert state is not None
    tapped.live.accepted(state)  # the POST's continuation runs only now
    await tapped.on_msg(_msg(3, _completed(created.subject)))
    assert tapped.live.state(created.subject) is None, "it would have missed JobStarted"


async def test_an_unreadable_or_expiring_event_hands_the_job_back_to_the_table():
    tapped = Tapped()
    first, second = await _posted(tapped, 1), await _posted(tapped, 2)
    assert tapped.live.state(first.subject) is not None
    await tapped.on_msg(
        _msg(3, job_started(first.subject, user_id="u1", worker="w", attempt=1), data=b"{}")
    )
    assert tapped.live.state(first.subject) is None
    await tapped.on_msg(_msg(4, _expired(second.subject, second.time)))
    assert tapped.live.state(second.subject) is None


def test_long_jobs_are_not_kept_and_few_are():
    recent = RecentJobs(LiveJobs().watch, kept=2, max_text_chars=1_000)
    states = [apply(None, _created(), seq) for seq in (1, 2, 3)]
    for state in states:
        assert state is not None
        recent.accepted(state)
    assert [recent.wants(s.id, 9) for s in states if s] == [False, True, True]
    long = _created()
    long.data.request.turns[0].text = "x" * 1_001
    state = apply(None, long, 4)
    assert state is not None
    recent.accepted(state)
    assert not recent.wants(state.id, 9)


async def test_the_job_created_of_a_job_accepted_here_is_not_decoded_again(monkeypatch):
    from ttsjobs_gateway.live import job_tap

    decoded: list[int] = []
    parse = job_tap.parse_event
    monkeypatch.setattr(job_tap, "parse_event", lambda data: decoded.append(1) or parse(data))
    tapped = Tapped()
    created = await _posted(tapped)  # accepted here; its JobCreated then comes through the tap
    assert decoded == [], "the state already held it"
    await tapped.on_msg(_msg(2, job_started(created.subject, user_id="u1", worker="w", attempt=1)))
    assert decoded == [1] and tapped.live.state(created.subject).status is JobStatus.processing
