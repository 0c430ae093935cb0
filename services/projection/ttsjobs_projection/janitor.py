"""The retention janitor: jobs older than the retention period lose their audio and captions,
and a JobExpired event takes them out of the history; old cached segments are deleted too.

Runs inside the projection (the owner of the table it reads), once an interval. Each step is
safe to repeat: deleting a missing object is a no-op, and JobExpired's id is derived from the
job, so a pass that dies half-way is simply done again by the next one.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import structlog
from minio import Minio

from ttsjobs.contracts.job_events import JobExpired, JobExpiredData
from ttsjobs.messaging.publisher import Publish
from ttsjobs.readmodel.rows import COLUMNS, state_from_row

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
    rows = await pool.fetch(
        f"SELECT {', '.join(COLUMNS)} FROM tts_jobs WHERE created_at < $1"
        " ORDER BY created_at LIMIT $2",
        cutoff,
        batch,
    )
    for row in rows:
        state = state_from_row(row)
        if state.result is not None:
            keys = [state.result.audio.object_key, *(c.object_key for c in state.result.captions)]
            for key in keys:
                await asyncio.to_thread(s3.remove_object, state.result.audio.bucket, key)
        await publish(job_expired(state.id, user_id=state.user_id))
        log.info("job.expired", job_id=state.id, created_at=state.created_at.isoformat())
    return len(rows)


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
            log.info("janitor.pass", jobs_expired=jobs, segments_deleted=segments)
        except Exception:
            log.exception("janitor.pass_failed")  # the next pass tries again
        await asyncio.sleep(every_s)
