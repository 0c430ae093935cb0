"""Retention: a job older than the retention period loses its audio and captions, JobExpired
takes it out of the table, and the API answers 404 as for a job that never existed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from tests.conftest import eventually
from tests.support.jobs import dialogue, stack_bucket
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.messaging.job_history import current_state
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import RETENTION
from ttsjobs_gateway.publishers import job_created
from ttsjobs_projection.janitor import expire_jobs, expire_segments

pytestmark = pytest.mark.e2e


async def test_an_expired_job_is_deleted_everywhere(api, stack, js, db, alice):
    # A job from 40 days ago: its JobCreated carries that time, which becomes its created_at.
    old = job_created(MultiRoleRequest.model_validate(dialogue("espeak")), user_id=alice.user_id)
    old = old.model_copy(update={"time": datetime.now(UTC) - timedelta(days=40)})
    await EventPublisher(js)(old)

    async def completed_in_table():
        return (
            await db.fetchval("SELECT status FROM tts_jobs WHERE id = $1", old.job_id)
            == "completed"
        )

    await eventually(completed_in_table, timeout_s=60, what="the old job done and projected")
    shown = (await api.get(f"/api/v1/jobs/{old.job_id}")).json()
    assert shown["expires_at"].startswith((old.time + RETENTION).date().isoformat())
    s3 = stack_bucket(stack)
    objects = s3.list_objects("ttsjobs-audio", prefix=f"jobs/{old.job_id}/", recursive=True)
    keys = [o.object_name for o in objects if not o.is_dir]
    assert keys == [f"jobs/{old.job_id}/audio.wav"], "captions are rendered, not stored"

    pool = await asyncpg.create_pool(stack.env["TTSJOBS_DATABASE_URL"], min_size=1, max_size=1)
    try:
        expired = await expire_jobs(pool, s3, EventPublisher(js), retention=RETENTION)
    finally:
        await pool.close()
    assert expired == 1, "only the old job is past retention"
    left = s3.list_objects("ttsjobs-audio", prefix=f"jobs/{old.job_id}/", recursive=True)
    assert not [o.object_name for o in left if not o.is_dir]

    async def gone_from_table():
        return await db.fetchval("SELECT count(*) FROM tts_jobs WHERE id = $1", old.job_id) == 0

    await eventually(gone_from_table, what="the projection applying JobExpired")
    assert await current_state(js, old.job_id) is None
    for path in (
        f"/api/v1/jobs/{old.job_id}",
        f"/api/v1/jobs/{old.job_id}/download",
        f"/api/v1/jobs/{old.job_id}/captions",
    ):
        assert (await api.get(path)).status_code == 404
    listed = (await api.get("/api/v1/jobs", params={"limit": 100})).json()["items"]
    assert old.job_id not in [j["id"] for j in listed]


def test_segments_older_than_retention_are_deleted(stack):
    s3 = stack_bucket(stack)
    assert list(s3.list_objects("ttsjobs-audio", prefix="segments/", recursive=True))
    assert expire_segments(s3, "ttsjobs-audio", retention=RETENTION) == 0, "all are recent"
    future = datetime.now(UTC) + RETENTION + timedelta(days=1)
    removed = expire_segments(s3, "ttsjobs-audio", retention=RETENTION, now=future)
    assert removed > 0
    left = s3.list_objects("ttsjobs-audio", prefix="segments/", recursive=True)
    assert not [o for o in left if not o.is_dir]
