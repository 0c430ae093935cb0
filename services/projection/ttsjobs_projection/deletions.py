"""What a deleted job leaves behind: its audio (and a v1 job's caption files), removed from S3
once no job of the user can show them any more.

JobDeleted takes the job's row out in its batch's transaction (handlers.py). In the same
transaction ``leftovers`` decides which of the job's objects may go, and after the commit
``remove`` deletes them: never before, so a batch that rolls back has removed nothing.

Which jobs can refer to an object: the audio's key is its content's hash under the user and
the day the job was created (``ttsjobs.storage.audio_key``), so only that user's jobs of that
day. An object is kept while

- a job left refers to it (two jobs of one day with the same dialogue share one object; the
  other job still plays and downloads), or
- a job of that user and day is unfinished: synthesis may yet give it the same audio, and a
  job whose every turn came from the segment cache finds the object already stored and refers
  to it without storing it again. Removing it then would leave that job without audio. Such a
  kept object goes with its day's folder once the day has passed retention (the janitor).

The projection applies events in stream order, so every job created before the JobDeleted is
in the table when this is decided. What remains open is a job submitted after the deletion,
every turn of it from the segment cache, whose synthesis checks for the object in the moment
between this check and the removal, before the projection has applied its JobCreated: it
would complete referring to a removed object (its download then answers 404). That takes the
projection lagging behind by a whole job's synthesis; in step with the stream, the window is
the few milliseconds between the commit and the removal.

A removal that fails is logged, not retried: the batch is committed, and the object goes with
its day's folder later. A rebuild or replay removes nothing (it passes no ``remove``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

import structlog

from ttsjobs.jobs.state import JobState
from ttsjobs_projection.janitor import Queries, shown_by_a_kept_job

log = structlog.get_logger()

RemoveObject = Callable[[str, str], Awaitable[None]]
"""Delete the object (bucket, key) from the store; a missing one is not an error."""


async def leftovers(db: Queries, deleted: list[JobState]) -> list[tuple[str, str]]:
    """The (bucket, key) of each object of the ``deleted`` jobs that no job can show now.
    Asked within the transaction that took their rows out."""
    found: list[tuple[str, str]] = []
    for state in deleted:
        if state.result is None:
            continue  # failed or cancelled: nothing was stored for it
        day = datetime.combine(state.created_at.astimezone(UTC).date(), time(), UTC)
        if await _unfinished_on(db, state.user_id, day):
            continue
        bucket = state.result.audio.bucket
        keys = [state.result.audio.object_key, *(c.object_key for c in state.result.captions)]
        for key in keys:
            if (bucket, key) not in found and not await shown_by_a_kept_job(db, key, day):
                found.append((bucket, key))
    return found


async def _unfinished_on(db: Queries, user_id: str, day: datetime) -> bool:
    found = await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM tts_jobs WHERE user_id = $1"
        " AND status IN ('pending', 'processing') AND created_at >= $2 AND created_at < $3)",
        user_id,
        day,
        day + timedelta(days=1),
    )
    return bool(found)


async def remove(remove_object: RemoveObject, objects: list[tuple[str, str]]) -> None:
    for bucket, key in objects:
        try:
            await remove_object(bucket, key)
        except Exception as err:
            log.warning("job.object_kept", object_key=key, error=type(err).__name__)
        else:
            log.info("job.object_removed", object_key=key)
