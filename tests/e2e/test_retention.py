"""Retention: a job older than the retention period loses its audio and captions (audio that a
job within retention shares stays until that one expires too), JobExpired takes it out of the
table, and the API answers 404 as for a job that never existed."""

from __future__ import annotations

import io
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
from ttsjobs_projection.janitor import expire_audio_days, expire_jobs, expire_segments

pytestmark = pytest.mark.e2e


async def test_an_expired_job_is_deleted_everywhere(api, stack, js, db, alice):
    # Two jobs from 40 days ago, the same dialogue an hour apart on one day: each JobCreated
    # carries its time, which becomes its created_at. The second takes its turns from the
    # first's (espeak's own output varies from run to run), so its audio is the same bytes and
    # the two share one object.
    request = MultiRoleRequest.model_validate(dialogue("espeak"))
    day = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0) - timedelta(40)
    old = job_created(request, user_id=alice.user_id).model_copy(update={"time": day})
    younger = job_created(request, user_id=alice.user_id)
    younger = younger.model_copy(update={"time": day + timedelta(hours=1)})
    for created in (old, younger):
        await EventPublisher(js)(created)

        async def completed_in_table(job_id: str = created.job_id):
            found = await db.fetchval("SELECT status FROM tts_jobs WHERE id = $1", job_id)
            return found == "completed"

        await eventually(completed_in_table, timeout_s=60, what="an old job done and projected")
    shown = (await api.get(f"/api/v1/jobs/{old.job_id}")).json()
    assert shown["expires_at"].startswith((old.time + RETENTION).date().isoformat())
    key = shown["result"]["audio"]["object_key"]
    assert key.startswith(f"audio/{day:%Y-%m-%d}/{alice.user_id}/") and key.endswith(".wav")
    shared = (await api.get(f"/api/v1/jobs/{younger.job_id}")).json()["result"]["audio"]
    assert shared["object_key"] == key, "the same audio is stored once"
    s3 = stack_bucket(stack)

    def stored() -> list[str]:
        objects = s3.list_objects("ttsjobs-audio", prefix=f"audio/{day:%Y-%m-%d}/{alice.user_id}/")
        return [o.object_name for o in objects if not o.is_dir]

    # Each job's word timing is its own object, named by the job (espeak times words).
    timing = {job.job_id: (await api.get(f"/api/v1/jobs/{job.job_id}")).json()["result"]["timing"]
              ["key"] for job in (old, younger)}  # fmt: skip
    assert sorted(stored()) == sorted([key, *timing.values()]), (
        "one audio object for both jobs; captions are rendered, not stored"
    )
    audio = (await api.get(f"/api/v1/jobs/{younger.job_id}/download")).content

    async def janitor_pass(at: datetime) -> int:
        pool = await asyncpg.create_pool(stack.env["TTSJOBS_DATABASE_URL"], min_size=1)
        try:
            return await expire_jobs(pool, s3, EventPublisher(js), retention=RETENTION, now=at)
        finally:
            await pool.close()

    # Half an hour after the old job passed retention: the younger one still has 30 minutes.
    assert await janitor_pass(old.time + RETENTION + timedelta(minutes=30)) == 1
    assert sorted(stored()) == sorted([key, timing[younger.job_id]]), (
        "the audio kept: a job within retention still refers to it; the old job's timing gone"
    )

    async def gone_from_table(job_id: str):
        return await db.fetchval("SELECT count(*) FROM tts_jobs WHERE id = $1", job_id) == 0

    await eventually(lambda: gone_from_table(old.job_id), what="the projection applying JobExpired")
    assert await current_state(js, old.job_id) is None
    for path in (
        f"/api/v1/jobs/{old.job_id}",
        f"/api/v1/jobs/{old.job_id}/download",
        f"/api/v1/jobs/{old.job_id}/captions",
    ):
        assert (await api.get(path)).status_code == 404
    listed = (await api.get("/api/v1/jobs", params={"limit": 100})).json()["items"]
    assert old.job_id not in [j["id"] for j in listed]
    still = await api.get(f"/api/v1/jobs/{younger.job_id}/download")
    assert still.status_code == 200 and still.content == audio

    # Once the younger job passes retention too, the object goes with it.
    assert await janitor_pass(younger.time + RETENTION + timedelta(minutes=1)) == 1
    assert stored() == []
    await eventually(
        lambda: gone_from_table(younger.job_id), what="the younger job leaving the table"
    )


def test_segments_older_than_retention_are_deleted(stack):
    s3 = stack_bucket(stack)
    assert list(s3.list_objects("ttsjobs-audio", prefix="segments/", recursive=True))
    assert expire_segments(s3, "ttsjobs-audio", retention=RETENTION) == 0, "all are recent"
    future = datetime.now(UTC) + RETENTION + timedelta(days=1)
    removed = expire_segments(s3, "ttsjobs-audio", retention=RETENTION, now=future)
    assert removed > 0
    left = s3.list_objects("ttsjobs-audio", prefix="segments/", recursive=True)
    assert not [o for o in left if not o.is_dir]


def test_a_days_audio_folder_goes_once_every_job_of_that_day_is_past_retention(stack):
    # An attempt that stored its audio and died before its job completed leaves an object no
    # job names; the day's folder takes it.
    s3 = stack_bucket(stack)
    now = datetime.now(UTC)
    day = (now - RETENTION).date() - timedelta(days=1)
    names = [f"audio/{day}/u/orphan.wav", f"audio/{day + timedelta(days=1)}/u/young.wav"]
    for name in names:
        s3.put_object("ttsjobs-audio", name, io.BytesIO(b"RIFF"), 4)
    assert expire_audio_days(s3, "ttsjobs-audio", retention=RETENTION, now=now) == 1
    left = {
        o.object_name for o in s3.list_objects("ttsjobs-audio", prefix="audio/", recursive=True)
    }
    assert names[0] not in left and names[1] in left, "a day still within retention is kept"
    expire_audio_days(s3, "ttsjobs-audio", retention=RETENTION, now=now + timedelta(days=1))
    left = {
        o.object_name for o in s3.list_objects("ttsjobs-audio", prefix="audio/", recursive=True)
    }
    assert names[1] not in left
