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
in the table when this is decided. Jobs created since, which the table does not hold yet, are
read from the stream after the commit (``StreamFence``): an object of a user and day that such
a job has is kept as well, and so is every object when there are more of them than one read
brings (a projection far behind keeps rather than guesses). What remains open is a job
submitted after that read, every turn of it from the segment cache, whose synthesis checks for
the object within the milliseconds between that read and the removal: it would complete
referring to a removed object (its download then answers 404).

A job's live audio (the segments heard while it rendered, ttsjobs.jobs.live_audio) is its own
alone, its folder named by the job: it goes as soon as the job is deleted, and as soon as the job
fails or is cancelled (``ended_live``), since no one can listen to it then. A completed job keeps
it until deleted or until its day's folder goes: the job page may still be playing it. How many
segments a job has is not known here (a long turn comes in several), so the folder goes whole.

A removal that fails is logged, not retried: the batch is committed, and the object goes with
its day's folder later. A rebuild or replay removes nothing (it passes no ``remove``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import structlog
from nats.js import JetStreamContext
from pydantic import ValidationError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import parse_event
from ttsjobs.jobs.live_audio import live_folder
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs.messaging.batch_get import BatchGet
from ttsjobs_projection.janitor import shown_by_a_kept_job
from ttsjobs_projection.retention_store import Queries, unfinished_between

log = structlog.get_logger()

RemoveObject = Callable[[str, str], Awaitable[None]]
"""Delete the object (bucket, key) from the store; a missing one is not an error."""

RemoveFolder = Callable[[str], Awaitable[None]]
"""Delete every object under the key prefix in the jobs' bucket; an empty one is not an error."""

CreatedAfter = Callable[[int], Awaitable[set[tuple[str, date]] | None]]
"""The (user, day) of every job created after the stream sequence; None when it cannot tell."""


@dataclass(frozen=True)
class Leftover:
    """An object of a deleted job that no job in the table shows."""

    bucket: str
    key: str
    user_id: str
    day: date


async def leftovers(db: Queries, deleted: list[JobState]) -> list[Leftover]:
    """The objects of the ``deleted`` jobs that no job in the table can show now. Asked
    within the transaction that took their rows out."""
    found: list[Leftover] = []
    for state in deleted:
        if state.result is None:
            continue  # failed or cancelled: nothing was stored for it
        day = state.created_at.astimezone(UTC).date()
        since = datetime.combine(day, time(), UTC)
        bucket = state.result.audio.bucket
        # Its word timing and stems are its own, named by the job and not by content: no other
        # job shows them, whatever else runs that day (its live audio: remove_live_audio).
        own = [ref.key for ref in (state.result.timing, state.result.stems) if ref is not None]
        found += [Leftover(bucket, key, state.user_id, day) for key in own]
        if await unfinished_between(db, state.user_id, since, since + timedelta(days=1)):
            continue
        keys = [state.result.audio.object_key, *(c.object_key for c in state.result.captions)]
        for key in keys:
            if all(o.key != key for o in found) and not await shown_by_a_kept_job(db, key, since):
                found.append(Leftover(bucket, key, state.user_id, day))
    return found


async def remove(
    remove_object: RemoveObject,
    objects: list[Leftover],
    *,
    created_after: CreatedAfter | None,
    after_seq: int,
) -> None:
    """Remove ``objects``, but those of a user and day with a job created after ``after_seq``
    (the batch's last event), which the table did not hold when they were chosen."""
    if not objects:
        return
    if created_after is not None:
        try:
            newer = await created_after(after_seq)
        except Exception as err:  # NATS not answering: keep them, as when too many are new
            log.warning("job.objects_kept", objects=len(objects), error=type(err).__name__)
            return
        if newer is None:
            log.info("job.objects_kept", objects=len(objects), reason="jobs created since")
            return
        objects = [o for o in objects if (o.user_id, o.day) not in newer]
    for leftover in objects:
        try:
            await remove_object(leftover.bucket, leftover.key)
        except Exception as err:
            log.warning("job.object_kept", object_key=leftover.key, error=type(err).__name__)
        else:
            log.info("job.object_removed", object_key=leftover.key)


def ended_live(before: JobState, after: JobState | None) -> bool:
    """Whether the job's live audio can go now: it was deleted, or has just failed or been
    cancelled (no playlist is served for it any more that grows; what a page's player already
    holds stays playable there)."""
    if after is None:
        return True
    return after.status != before.status and after.status in (JobStatus.failed, JobStatus.cancelled)


async def remove_live_audio(remove_folder: RemoveFolder, jobs: list[JobState]) -> None:
    """Each job's live folder, after the batch that ended or deleted the jobs has committed."""
    for state in jobs:
        folder = live_folder(state.user_id, state.created_at, state.id)
        try:
            await remove_folder(folder)
        except Exception as err:  # it goes with its day's folder later
            log.warning("job.live_audio_kept", job_id=state.id, error=type(err).__name__)
        else:
            log.info("job.live_audio_removed", job_id=state.id)


class StreamFence:
    """The jobs created after a sequence, read from the stream in one batched direct get."""

    def __init__(self, js: JetStreamContext) -> None:
        self._reader = BatchGet(js, subjects.STREAM)

    async def created_after(self, seq: int) -> set[tuple[str, date]] | None:
        found, more = await self._reader.read(subjects.every_job("created"), from_seq=seq + 1)
        if more:
            return None  # more than one read brings: the projection is far behind
        created: set[tuple[str, date]] = set()
        for _, payload in found:
            try:
                event = parse_event(payload)
            except ValidationError:
                return None  # whose job it is cannot be told
            created.add((event.data.user_id, event.time.astimezone(UTC).date()))
        return created
