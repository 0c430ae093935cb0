"""A job's live audio goes when no one can hear it any more: the projection removes the job's
live folder once the batch that failed, cancelled or deleted the job has committed; a completed
job keeps it (its page may still play it), and a replay or rebuild removes nothing."""

from __future__ import annotations

from tests.unit.test_projection_handler import MemoryTables, _completed, _created
from ttsjobs.jobs.live_audio import live_folder
from ttsjobs_gateway.publishers import job_deleted
from ttsjobs_projection.handlers import apply_job_events
from ttsjobs_synthesis.publishers import job_cancelled, job_failed, job_started


class _Folders:
    def __init__(self, *, failing: bool = False) -> None:
        self.removed: list[str] = []
        self.failing = failing

    async def remove(self, prefix: str) -> None:
        if self.failing:
            raise OSError("the bucket is gone")
        self.removed.append(prefix)


def _folder(created) -> str:
    return live_folder(created.data.user_id, created.time, created.subject)


async def _apply(tables, batch, folders: _Folders | None):
    remove = folders.remove if folders else None
    await apply_job_events(
        batch, conn=tables, consumer="projection", tables=tables, remove_folder=remove
    )


def _running(created, seq: int) -> list:
    started = job_started(created.subject, user_id="u1", worker="w", attempt=1)
    return [(created, seq), (started, seq + 1)]


async def test_a_failed_or_cancelled_jobs_live_folder_goes_a_completed_ones_stays():
    tables, folders = MemoryTables(), _Folders()
    cancelled, failed, completed = _created(), _created(), _created()
    batch = [*_running(cancelled, 1), *_running(failed, 3), *_running(completed, 5)]
    batch += [
        (job_cancelled(cancelled.subject, user_id="u1"), 7),
        (job_failed(failed.subject, "engine died", user_id="u1"), 8),
        (_completed(completed.subject), 9),
    ]
    await _apply(tables, batch, folders)
    assert folders.removed == [_folder(cancelled), _folder(failed)]
    assert tables.jobs[cancelled.subject].status.value == "cancelled"

    await _apply(tables, batch, folders)  # redelivered: the jobs' rows are as they were
    assert len(folders.removed) == 2, "nothing removed twice for one ending"

    await _apply(tables, [(job_deleted(completed.subject, user_id="u1"), 10)], folders)
    assert folders.removed[-1] == _folder(completed), "a deleted job's goes as well"


async def test_a_replay_removes_nothing_and_a_failing_removal_keeps_the_batch():
    tables = MemoryTables()
    job = _created()
    ended = [*_running(job, 1), (job_failed(job.subject, "x", user_id="u1"), 3)]
    await _apply(tables, ended, None)  # a rebuild passes no remover
    assert tables.jobs[job.subject].status.value == "failed"

    other, broken = _created(), _Folders(failing=True)
    await _apply(tables, [*_running(other, 4), (job_failed(other.subject, "x", user_id="u1"), 6)],
                 broken)  # fmt: skip
    assert tables.jobs[other.subject].status.value == "failed" and tables.positions == {
        "projection": 6
    }
