"""In-memory stand-ins for the ports handlers are given, so that every service's handlers are
unit-tested without servers: a bus that is also the jobs' history (a stream with JetStream's
expected-last-subject-sequence check), and the gateway's reads of the projection's table."""

from __future__ import annotations

from dataclasses import dataclass

from ttsjobs.contracts.job_events import JobCreated, JobEvent
from ttsjobs.jobs.deciding import ConcurrencyConflict
from ttsjobs.jobs.state import JobState, JobStatus, apply


@dataclass(frozen=True)
class Ack:
    seq: int


class MemoryBus:
    """Events in publish order, sequence = position + 1, as in one stream.

    ``publish`` is a service's publisher; ``state`` and ``append`` make it the ``JobHistory``
    port, ``state`` and ``caught_up`` the gateway's ``JobEvents``. ``conflict_once`` makes the
    next conditional append lose a race.
    """

    def __init__(self, *events: JobEvent) -> None:
        self.history: list[JobEvent] = list(events)
        self.conflict_once = False
        self.reads = 0  # of a job's whole history (``state``)

    def _events_of(self, job_id: str) -> list[tuple[int, JobEvent]]:
        return [(seq, e) for seq, e in enumerate(self.history, 1) if e.subject == job_id]

    async def publish(self, event: JobEvent, *, expected_last_seq: int | None = None) -> Ack:
        if expected_last_seq is not None:
            mine = self._events_of(event.subject)
            last = mine[-1][0] if mine else 0
            if self.conflict_once or expected_last_seq != last:
                self.conflict_once = False
                raise ConcurrencyConflict("wrong last sequence")
        self.history.append(event)
        return Ack(len(self.history))

    async def state(self, job_id: str) -> JobState | None:
        self.reads += 1
        state = None
        for seq, event in self._events_of(job_id):
            state = apply(state, event, seq)
        return state

    async def caught_up(self, state: JobState) -> JobState | None:
        current: JobState | None = state
        for seq, event in self._events_of(state.id):
            if seq > state.last_event_seq:
                current = apply(current, event, seq)
        return current

    async def created(self, job_id: str) -> JobCreated | None:
        found = [e for _, e in self._events_of(job_id) if isinstance(e, JobCreated)]
        return found[0] if found else None

    async def append(self, event: JobEvent, *, expected_seq: int | None = None) -> int:
        return (await self.publish(event, expected_last_seq=expected_seq)).seq

    def of_kind(self, kind: str) -> list[JobEvent]:
        return [e for e in self.history if e.kind == kind]


class MemoryReads:
    """The gateway's ``JobReads`` port as submitting uses it, on rows in memory: the table as
    the projection left it, which may lag behind the bus."""

    def __init__(self, *rows: JobState) -> None:
        self.rows = {row.id: row for row in rows}

    async def pending_count(self, user_id: str, *, cap: int) -> int:
        mine = (r for r in self.rows.values() if r.user_id == user_id)
        return sum(1 for r in mine if r.status is JobStatus.pending)

    def accepted(self, state: JobState) -> None:
        pass  # the rows are the table: a job shows once a test adds its row
