"""Progress on a feed only moves forward (``ProgressFilter``)."""

from __future__ import annotations

from ttsjobs.contracts.job_events import JobEvent, JobProgressed
from ttsjobs.jobs.state import TERMINAL


class ProgressFilter:
    """One feed's view of progress: it only moves forward.

    A job resumed by another attempt reports its turns again from the first (the finished ones
    come from the segment cache at once), so the stream can hold done=4 and then done=1. A feed
    relays a progress event only if it is ahead of everything that feed has shown of the job.
    """

    def __init__(self) -> None:
        self._done: dict[str, int] = {}

    def seen(self, job_id: str, done: int) -> None:
        """Progress the client already has (from a snapshot)."""
        self._done[job_id] = max(self._done.get(job_id, 0), done)

    def passes(self, event: JobEvent) -> bool:
        job_id = event.subject
        if event.kind in TERMINAL:
            self._done.pop(job_id, None)  # a user's feed sees many jobs in an hour
            return True
        if not isinstance(event, JobProgressed):
            return True
        done = event.data.done
        if done <= self._done.get(job_id, 0):
            return False
        self._done[job_id] = done
        return True
