"""Jobs' states as this process last committed them, so that the next event of a job does not
build its state from the row again.

Under load each event is a batch of its own, so each one read its job's row whole and parsed
the request back out of its JSON (the projection's largest cost after the writes, profiled). A
state kept here stands in for the row only while the row is at the same (last_event_seq,
updated_at): every write of the projection's moves last_event_seq, so a row another process
wrote since (a second projection, a dead letter's replay) does not match and is read whole.
States are remembered only after their transaction committed, so a batch rolled back leaves
nothing here that the table does not hold. Nothing may modify a state kept here.
"""

from __future__ import annotations

from datetime import datetime

from ttsjobs.aio.newest import Newest
from ttsjobs.jobs.state import JobState

KEPT = 10_000


class KnownRows:
    def __init__(self, *, kept: int = KEPT) -> None:
        self._states: Newest[str, JobState] = Newest(kept)

    def knows_any(self, job_ids: list[str]) -> bool:
        return any(job_id in self._states for job_id in job_ids)

    def state_at(self, job_id: str, last_event_seq: int, updated_at: datetime) -> JobState | None:
        """The state kept for the job, if the row is still at its version."""
        state = self._states.get(job_id)
        if state is None or state.last_event_seq != last_event_seq:
            return None
        return state if state.updated_at == updated_at else None

    def committed(self, states: list[JobState], gone: list[str]) -> None:
        for state in states:
            self._states.store(state.id, state)
        for job_id in gone:
            self._states.pop(job_id, None)
