"""Cancelling pending jobs, reading right after writing, and listing."""

from __future__ import annotations

import pytest

from tests.conftest import eventually
from tests.support.jobs import dialogue, submit, wait_for_status
from ttsjobs.callbacks import has_no_callback
from ttsjobs.contracts import subjects
from ttsjobs.messaging.job_history import read_history

pytestmark = pytest.mark.e2e


async def test_a_cancelled_pending_job_never_starts(api, stack, js):
    stack.stop_service("synthesis")  # nothing can pick the job up: it stays pending
    try:
        job = await submit(api, dialogue("espeak"))
        response = await api.delete(f"/api/v1/jobs/{job['id']}")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "cancelled"
    finally:
        stack.start_service("synthesis")
    # A job submitted after the cancelled one completes, so synthesis has seen the cancelled one.
    later = await submit(api, dialogue("espeak"))
    await wait_for_status(api, later["id"], {"completed"})

    kinds = [type(event).__name__ for _, event in await read_history(js, job["id"])]
    assert kinds == ["JobCreated", "JobCancelled"]
    # No callback_url: the notifier may ack the final event unread.
    cancelled = await js.get_last_msg(subjects.STREAM, subjects.job_event(job["id"], "cancelled"))
    assert has_no_callback(cancelled.headers)
    shown = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
    assert shown["status"] == "cancelled" and shown["started_at"] is None


async def test_a_delete_of_a_completed_job_deletes_it(api):
    # Cancelling was all DELETE did; a finished job is now deleted (tests/e2e/test_delete_jobs).
    job = await submit(api, dialogue("espeak"))
    await wait_for_status(api, job["id"], {"completed"})
    response = await api.delete(f"/api/v1/jobs/{job['id']}")
    assert response.status_code == 204
    assert (await api.get(f"/api/v1/jobs/{job['id']}")).status_code == 404


async def test_a_cancel_never_deletes_a_job_that_has_finished(api):
    # The cancel-only route: a client that meant to stop a job which finished meanwhile gets a
    # 409, and the result it has not seen yet is kept.
    job = await submit(api, dialogue("espeak"))
    await wait_for_status(api, job["id"], {"completed"})
    response = await api.post(f"/api/v1/jobs/{job['id']}/cancel")
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (await api.get(f"/api/v1/jobs/{job['id']}")).json()["status"] == "completed"
    assert (await api.get(f"/api/v1/jobs/{job['id']}/download")).status_code == 200


async def test_read_after_write_when_the_projection_lags(api, stack, db):
    stack.stop_service("projection")
    try:
        job = await submit(api, dialogue("espeak"))
        response = await api.get(f"/api/v1/jobs/{job['id']}")
        assert response.status_code == 200, "a job just accepted is never a 404"
        assert response.json()["id"] == job["id"]
        assert await db.fetchval("SELECT count(*) FROM tts_jobs WHERE id = $1", job["id"]) == 0
        # The gateway folds the job's events itself, so progress shows even with no table row.
        done = await wait_for_status(api, job["id"], {"completed"})
        assert (done["progress"]["done"], done["progress"]["total"]) == (3, 3)
    finally:
        stack.start_service("projection")

    async def projected():
        status = await db.fetchval("SELECT status FROM tts_jobs WHERE id = $1", job["id"])
        return status == "completed"

    await eventually(projected, what="projection catching up")


async def test_unknown_job_is_a_404_problem(api):
    missing = "5d1e0b8e-4a43-4f55-a3a4-4f3a0e0f0000"
    for method, path in [
        ("GET", f"/api/v1/jobs/{missing}"),
        ("DELETE", f"/api/v1/jobs/{missing}"),
        ("POST", f"/api/v1/jobs/{missing}/cancel"),
        ("GET", f"/api/v1/jobs/{missing}/download"),
    ]:
        response = await api.request(method, path)
        assert response.status_code == 404, (method, path)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["job_id"] == missing


async def test_malformed_job_id_names_the_field(api):
    response = await api.get("/api/v1/jobs/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "job_id"


async def test_list_is_newest_first_with_cursor_and_status_filter(api):
    ids = [(await submit(api, dialogue("espeak", title=f"page {i}")))["id"] for i in range(3)]
    for job_id in ids:
        await wait_for_status(api, job_id, {"completed"})

    first = (await api.get("/api/v1/jobs", params={"limit": 2})).json()
    assert [j["id"] for j in first["items"]] == ids[::-1][:2]
    assert first["next_cursor"]
    second = await api.get("/api/v1/jobs", params={"limit": 2, "cursor": first["next_cursor"]})
    assert second.json()["items"][0]["id"] == ids[0]

    completed = (await api.get("/api/v1/jobs", params={"status": "completed", "limit": 100})).json()
    assert completed["items"] and all(j["status"] == "completed" for j in completed["items"])
    created = [j["created_at"] for j in completed["items"]]
    assert created == sorted(created, reverse=True)

    failed_only = (await api.get("/api/v1/jobs", params={"status": "failed", "limit": 100})).json()
    assert all(j["status"] == "failed" for j in failed_only["items"])


async def test_list_rejects_bad_parameters(api):
    for params, field in [
        ({"status": "sleeping"}, "status"),
        ({"limit": 0}, "limit"),
        ({"limit": 1000}, "limit"),
        ({"cursor": "%%%"}, "cursor"),
    ]:
        response = await api.get("/api/v1/jobs", params=params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["field"] == field
