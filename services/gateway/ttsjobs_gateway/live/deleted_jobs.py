"""Jobs lately deleted, as this gateway has heard: its own DELETEs, and the JobDeleted events
the tap sees (another gateway's DELETE).

A deleted job's row stays in the table until the projection has applied its JobDeleted, a
moment later, or longer while the projection lags. Until then the row would still answer a
GET or fill a list; reads check here first (reads.current.JobReads), so a job is gone from both the
moment its DELETE has answered. Remembering an id longer than that costs a set entry: the
projection has long removed its row by the time the id is forgotten.
"""

from __future__ import annotations

from ttsjobs.aio.newest import Newest

REMEMBERED = 100_000


class DeletedJobs:
    def __init__(self, *, remembered: int = REMEMBERED) -> None:
        self._ids: Newest[str, None] = Newest(remembered)

    def add(self, job_id: str) -> None:
        self._ids.store(job_id, None)

    def __contains__(self, job_id: object) -> bool:
        return job_id in self._ids
