"""DELETE of a finished job, on the real stack: 204, then a 404 and in no list at once (before
the projection has caught up too), and its audio removed from S3 once no other job of the user
refers to it. Two jobs of one day with the same dialogue share one audio object: deleting one
leaves the other playing; deleting the second removes the object. While a job of the same user
and day is unfinished the object is kept, since that job may come to refer to it. An unfinished
job is still cancelled by DELETE; someone else's job, or one deleted already, is a 404."""

from __future__ import annotations

import uuid

import httpx
import pytest
from minio.error import S3Error

from tests.conftest import client_of, create_user, eventually
from tests.support.jobs import dialogue, projection_caught_up, stack_bucket, submit, wait_for_status
from ttsjobs.messaging.job_history import current_state

pytestmark = pytest.mark.e2e

JOBS = "/api/v1/jobs"


@pytest.fixture(scope="module")
def deleter(stack):
    """A user of this module's own: the objects and lists seen are this module's jobs only."""
    return create_user(stack, f"deleter-{uuid.uuid4().hex[:8]}")


@pytest.fixture
async def mine(stack, deleter):
    async with client_of(stack, deleter) as client:
        yield client


async def _twins(api: httpx.AsyncClient, text: str) -> tuple[dict, dict]:
    """Two completed jobs of the same dialogue, the second after the first: its turns come
    from the segment cache, so its audio is the same bytes, stored once."""
    body = dialogue("espeak", title=text)
    body["turns"][0]["text"] = text
    done = []
    for _ in range(2):
        job = await submit(api, body)
        done.append(await wait_for_status(api, job["id"], {"completed", "failed"}, timeout_s=60))
    first, second = done
    assert first["status"] == second["status"] == "completed", first["error_message"]
    assert first["result"]["audio"]["object_key"] == second["result"]["audio"]["object_key"]
    return first, second


def _stored(stack, audio: dict) -> bool:
    try:
        stack_bucket(stack).stat_object(audio["bucket"], audio["object_key"])
    except S3Error as err:
        if err.code in ("NoSuchKey", "NoSuchObject", "ResourceNotFound"):
            return False
        raise
    return True


async def _projected_past_now(api: httpx.AsyncClient, job_id: str, js, db) -> None:
    """The projection has applied a batch after every event so far: the removals that follow
    each batch's commit are done too (an event of our own, a rename, marks the point)."""
    renamed = await api.patch(f"{JOBS}/{job_id}", json={"title": uuid.uuid4().hex})
    assert renamed.status_code == 200, renamed.text
    await projection_caught_up(js, db)


async def _listed(api: httpx.AsyncClient) -> set[str]:
    page = (await api.get(JOBS, params={"limit": 100})).json()
    return {job["id"] for job in page["items"]}


async def test_two_jobs_share_one_object_until_both_are_deleted(stack, mine, bob_api, js, db):
    first, second = await _twins(mine, f"Shared audio {uuid.uuid4().hex[:6]}.")
    audio = first["result"]["audio"]
    bytes_before = (await mine.get(f"{JOBS}/{second['id']}/download")).content

    deleted = await mine.delete(f"{JOBS}/{first['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    # At once, whether or not the projection has applied the JobDeleted yet.
    assert (await mine.get(f"{JOBS}/{first['id']}")).status_code == 404
    assert first["id"] not in await _listed(mine) and second["id"] in await _listed(mine)
    assert (await mine.get(f"{JOBS}/{first['id']}/download")).status_code == 404

    await _projected_past_now(mine, second["id"], js, db)
    assert await db.fetchval("SELECT count(*) FROM tts_jobs WHERE id = $1", first["id"]) == 0
    assert await current_state(js, first["id"]) is None, "the job's events fold to nothing"
    assert _stored(stack, audio), "kept: the other job refers to the same object"
    still = await mine.get(f"{JOBS}/{second['id']}/download")
    assert still.status_code == 200 and still.content == bytes_before

    foreign = await bob_api.delete(f"{JOBS}/{second['id']}")
    assert foreign.status_code == 404
    assert foreign.headers["content-type"] == "application/problem+json"
    assert (await mine.get(f"{JOBS}/{second['id']}")).json()["status"] == "completed"

    assert (await mine.delete(f"{JOBS}/{second['id']}")).status_code == 204
    await eventually(lambda: _gone(stack, audio), what="the shared object removed from S3")
    assert (await mine.get(f"{JOBS}/{second['id']}/download")).status_code == 404
    again = await mine.delete(f"{JOBS}/{second['id']}")
    assert again.status_code == 404, "deleting twice: the second time there is no job"


async def _gone(stack, audio: dict) -> bool:
    return not _stored(stack, audio)


async def test_an_unfinished_job_of_the_day_keeps_the_object_and_delete_still_cancels_it(
    stack, mine, js, db
):
    first, second = await _twins(mine, f"Kept audio {uuid.uuid4().hex[:6]}.")
    audio = first["result"]["audio"]
    long_body = dialogue("espeak", title="long")
    sentence = "This turn is long enough that the whole job takes some seconds to read aloud."
    long_body["turns"] = [
        {"speaker": "Alice" if i % 2 else "Bob", "text": f"{sentence} Number {i}."}
        for i in range(60)
    ]
    running = await submit(mine, long_body)
    for job in (first, second):
        assert (await mine.delete(f"{JOBS}/{job['id']}")).status_code == 204
    await _projected_past_now(mine, running["id"], js, db)
    # Still unfinished after the projection applied both deletions: it was unfinished then.
    now = (await mine.get(f"{JOBS}/{running['id']}")).json()
    assert now["status"] in ("pending", "processing"), "the long job finished too soon"
    assert _stored(stack, audio), "kept: an unfinished job of that day may come to use it"

    await wait_for_status(mine, running["id"], {"processing"}, timeout_s=60, interval_s=0.02)
    asked = await mine.delete(f"{JOBS}/{running['id']}")
    assert asked.status_code == 202 and asked.json()["status"] == "processing"
    ended = await wait_for_status(mine, running["id"], {"cancelled", "completed"}, timeout_s=60)
    assert ended["status"] == "cancelled", "DELETE of a processing job cancels it, as before"
    assert (await mine.delete(f"{JOBS}/{running['id']}")).status_code == 204
    assert (await mine.get(f"{JOBS}/{running['id']}")).status_code == 404


async def test_a_repeat_under_the_key_of_a_deleted_job_is_a_409_not_a_new_job(mine):
    keyed = {"Idempotency-Key": f"deleted-{uuid.uuid4().hex[:8]}"}
    body = dialogue("espeak", title="keyed")
    first = await mine.post(f"{JOBS}/tts/multi-role", json=body, headers=keyed)
    assert first.status_code == 202, first.text
    await wait_for_status(mine, first.json()["id"], {"completed", "failed"}, timeout_s=60)
    assert (await mine.delete(f"{JOBS}/{first.json()['id']}")).status_code == 204

    again = await mine.post(f"{JOBS}/tts/multi-role", json=body, headers=keyed)
    assert again.status_code == 409, again.text
    assert again.json()["type"] == "urn:ttsjobs:problem:idempotency-key-job-deleted"
    assert again.json()["job_id"] == first.json()["id"]
