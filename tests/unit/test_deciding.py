"""decide(): read, choose, append only if the history has not moved, choose again if it has."""

from __future__ import annotations

import pytest

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.jobs.deciding import StillChanging, decide
from ttsjobs.jobs.state import JobStatus
from ttsjobs_gateway.publishers import job_cancelled, job_created


def _created():
    return job_created(MultiRoleRequest.model_validate(dialogue("espeak")), user_id="u1")


async def test_a_choice_is_appended_after_the_event_it_saw():
    created = _created()
    bus = MemoryBus(created)
    decided = await decide(bus, created.job_id, lambda s: job_cancelled(s.id, user_id="u1"))
    assert decided.before.status is JobStatus.pending and decided.seq == 2
    assert decided.after.status is JobStatus.cancelled
    assert bus.history[1] is decided.event


async def test_choosing_nothing_appends_nothing():
    created = _created()
    bus = MemoryBus(created)
    decided = await decide(bus, created.job_id, lambda s: None)
    assert decided.event is None and decided.after == decided.before and len(bus.history) == 1


async def test_a_lost_race_is_decided_again_on_the_newer_history():
    created = _created()
    bus = MemoryBus(created)
    bus.conflict_once = True
    seen = []

    def choose(state):
        seen.append(state.last_event_seq)
        return job_cancelled(state.id, user_id="u1")

    decided = await decide(bus, created.job_id, choose)
    assert len(seen) == 2 and decided.seq == 2


async def test_a_history_that_never_settles_gives_up():
    created = _created()

    class AlwaysMoving(MemoryBus):
        async def publish(self, event, *, expected_last_seq=None):
            self.conflict_once = True
            return await super().publish(event, expected_last_seq=expected_last_seq)

    bus = AlwaysMoving(created)
    with pytest.raises(StillChanging):
        await decide(bus, created.job_id, lambda s: job_cancelled(s.id, user_id="u1"))
    assert len(bus.history) == 1


async def test_a_refusal_raised_by_the_choice_reaches_the_caller():
    def refuse(state):
        raise LookupError("no such job")

    with pytest.raises(LookupError):
        await decide(MemoryBus(), "nobody", refuse)


async def test_assume_new_appends_without_reading_and_reads_after_a_conflict():
    created = _created()
    bus = MemoryBus()
    reads = []

    class Counting(MemoryBus):
        async def state(self, job_id):
            reads.append(job_id)
            return await super().state(job_id)

    bus = Counting()
    first = await decide(bus, created.job_id, lambda s: created if s is None else None,
                         assume_new=True)  # fmt: skip
    assert first.event is created and reads == []
    again = await decide(bus, created.job_id, lambda s: created if s is None else None,
                         assume_new=True)  # fmt: skip
    assert again.event is None and again.before.id == created.job_id and reads == [created.job_id]
    assert len(bus.history) == 1
