"""The retention janitor: jobs older than the retention period lose their audio and captions,
and a JobExpired event takes them out of the history; old cached segments are deleted too.
Audio that a younger job shares is kept until that job expires as well.

Runs inside the projection (the owner of the table it reads), once an interval. Each step is
safe to repeat: deleting a missing object is a no-op, and JobExpired's id is derived from the
job, so a pass that dies half-way is simply done again by the next one.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import asyncpg
import structlog
from minio import Minio

from ttsjobs.contracts.job_events import JobExpired, JobExpiredData
from ttsjobs.messaging.publisher import Publish
from ttsjobs.storage import AUDIO_PREFIX
from ttsjobs_projection.retention_store import Queries, jobs_created_before, object_shown_since

log = structlog.get_logger()

SOURCE = "/ttsjobs/projection/janitor"
SEGMENTS_PREFIX = "segments/"


def job_expired(job_id: str, *, user_id: str) -> JobExpired:
    return JobExpired(
        id=f"{job_id}.expired",
        source=SOURCE,
        subject=job_id,
        data=JobExpiredData(user_id=user_id),
    )


async def expire_jobs(
    pool: asyncpg.Pool,
    s3: Minio,
    publish: Publish,
    *,
    retention: timedelta,
    now: datetime | None = None,
    batch: int = 500,
) -> int:
    """One pass over jobs created before now − retention; returns how many were expired."""
    cutoff = (now or datetime.now(UTC)) - retention
    states = await jobs_created_before(pool, cutoff, batch)
    for state in states:
        if state.result is not None:
            keys = [state.result.audio.object_key, *(c.object_key for c in state.result.captions)]
            if state.result.timing is not None:  # the job's own: no other job shows it
                keys.append(state.result.timing.key)
            if state.result.stems is not None:  # the job's own as well
                keys.append(state.result.stems.key)
            for key in keys:
                if not await shown_by_a_kept_job(pool, key, cutoff):
                    await asyncio.to_thread(s3.remove_object, state.result.audio.bucket, key)
        await publish(job_expired(state.id, user_id=state.user_id))
        log.info("job.expired", job_id=state.id, created_at=state.created_at.isoformat())
    return len(states)


async def shown_by_a_kept_job(db: Queries, object_key: str, cutoff: datetime) -> bool:
    """Whether a job created since ``cutoff`` refers to the object (jobs share the audio they
    have in common). Here, jobs past retention are not counted: each is being expired, now or
    in a later pass, and the last of them to go takes the object with it. A deletion
    (``deletions``) counts every job left."""
    return await object_shown_since(db, object_key, cutoff)


def expire_segments(
    s3: Minio, bucket: str, *, retention: timedelta, now: datetime | None = None
) -> int:
    """Delete cached segments written before now − retention (blocking: run it in a thread).

    A segment still in use is simply synthesized again by the next job that needs it.
    """
    cutoff = (now or datetime.now(UTC)) - retention
    removed = 0
    if not s3.bucket_exists(bucket):
        return 0  # synthesis makes the bucket with the first audio it stores
    for item in s3.list_objects(bucket, prefix=SEGMENTS_PREFIX, recursive=True):
        if item.last_modified is not None and item.last_modified < cutoff:
            s3.remove_object(bucket, item.object_name)
            removed += 1
    return removed


def expire_audio_days(
    s3: Minio, bucket: str, *, retention: timedelta, now: datetime | None = None
) -> int:
    """Delete the audio folders of days whose every job has passed retention (blocking: run it
    in a thread); returns how many objects went.

    Each job's own expiry deletes its audio already; this takes what no expired job named,
    such as the audio of an attempt that stored it and then died before the job completed.
    """
    last_gone = ((now or datetime.now(UTC)) - retention).date() - timedelta(days=1)
    removed = 0
    if not s3.bucket_exists(bucket):
        return 0
    for folder in s3.list_objects(bucket, prefix=AUDIO_PREFIX):
        try:
            day = date.fromisoformat(folder.object_name.removeprefix(AUDIO_PREFIX).rstrip("/"))
        except ValueError:
            continue  # not a day's folder: not ours to delete
        if day > last_gone:
            continue
        removed += remove_under(s3, bucket, folder.object_name)
    return removed


def remove_under(s3: Minio, bucket: str, prefix: str) -> int:
    """Delete every object under ``prefix`` (blocking); returns how many went."""
    removed = 0
    for item in s3.list_objects(bucket, prefix=prefix, recursive=True):
        if not item.is_dir:
            s3.remove_object(bucket, item.object_name)
            removed += 1
    return removed


async def run_periodically(
    pool: asyncpg.Pool,
    s3: Minio,
    bucket: str,
    publish: Publish,
    *,
    retention: timedelta,
    every_s: float,
) -> None:
    while True:
        try:
            jobs = await expire_jobs(pool, s3, publish, retention=retention)
            segments = await asyncio.to_thread(expire_segments, s3, bucket, retention=retention)
            audio = await asyncio.to_thread(expire_audio_days, s3, bucket, retention=retention)
            log.info(
                "janitor.pass", jobs_expired=jobs, segments_deleted=segments, audio_deleted=audio
            )
        except Exception:
            log.exception("janitor.pass_failed")  # the next pass tries again
        await asyncio.sleep(every_s)
