"""API keys and isolation on the real stack: every endpoint and both feeds want a key; a second
user gets exactly what a job that does not exist gets (404), everywhere; keys are stored only as
hashes; every event names its owner."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.conftest import eventually, eventually_sync
from tests.support.jobs import SUBMIT, dialogue, submit, wait_for_status
from ttsjobs.contracts import subjects
from ttsjobs.messaging.job_history import read_history

pytestmark = pytest.mark.e2e


def _ws(stack, path: str) -> str:
    return stack.gateway_url.replace("http://", "ws://") + path


@pytest.fixture(scope="module")
def alices_job(stack, alice):
    """A completed job of alice's, with audio and captions."""
    with httpx.Client(base_url=stack.gateway_url, headers=alice.headers, timeout=30) as api:
        job_id = api.post(SUBMIT, json=dialogue("espeak", title="alice private")).json()["id"]

        def completed() -> dict | None:
            job = api.get(f"/api/v1/jobs/{job_id}").json()
            assert job["status"] in ("pending", "processing", "completed"), job
            return job if job["status"] == "completed" else None

        return eventually_sync(
            completed, timeout_s=60, what="alice's job completed", interval_s=0.1
        )


def _every_job_call(job_id: str) -> list[tuple[str, str]]:
    return [
        ("GET", f"/api/v1/jobs/{job_id}"),
        ("GET", f"/api/v1/jobs/{job_id}/download"),
        ("GET", f"/api/v1/jobs/{job_id}/captions?format=vtt"),
        ("GET", f"/api/v1/jobs/{job_id}/captions?format=srt"),
        ("DELETE", f"/api/v1/jobs/{job_id}"),
        ("PATCH", f"/api/v1/jobs/{job_id}"),
    ]


BAD_CREDENTIALS = [
    {},
    {"Authorization": "Bearer tj_000000000000_" + "x" * 43},  # shaped like a key, never issued
    {"Authorization": "Bearer not-a-key"},
    {"Authorization": "Basic YTpi"},
]


async def test_every_api_operation_wants_a_key(stack):
    async with httpx.AsyncClient(base_url=stack.gateway_url) as anonymous:
        schema = (await anonymous.get("/openapi.json")).json()
    some_job = str(uuid.uuid4())
    operations = [
        (method.upper(), path.replace("{job_id}", some_job))
        for path, item in schema["paths"].items()
        for method in item
        if path.startswith("/api/")
    ]
    assert len(operations) >= 7
    async with httpx.AsyncClient(base_url=stack.gateway_url) as anonymous:
        for headers in BAD_CREDENTIALS:
            for method, path in operations:
                body = dialogue("espeak") if method == "POST" else None
                response = await anonymous.request(method, path, json=body, headers=headers)
                assert response.status_code == 401, (method, path, headers, response.text)
                assert response.headers["content-type"] == "application/problem+json"
                assert response.headers["www-authenticate"].startswith("Bearer")
                if method != "HEAD":  # a HEAD answer has the headers of the problem, no body
                    assert response.json()["type"] == "urn:ttsjobs:problem:unauthorized"
        # Health, readiness and the docs stay open for probes and people.
        for path in ("/healthz", "/readyz", "/openapi.json", "/"):
            assert (await anonymous.get(path)).status_code == 200, path


async def test_a_second_user_gets_nothing_of_anothers_job(alices_job, bob_api, api):
    nobodys = str(uuid.uuid4())
    for (method, path), (_, missing) in zip(
        _every_job_call(alices_job["id"]), _every_job_call(nobodys), strict=True
    ):
        body = {"title": "bob was here"} if method == "PATCH" else None
        theirs = await bob_api.request(method, path, json=body)
        absent = await bob_api.request(method, missing, json=body)
        assert theirs.status_code == absent.status_code == 404, (method, path, theirs.text)
        # Not even the wording tells bob the job exists.
        assert theirs.json()["detail"].replace(alices_job["id"], "ID") == absent.json()[
            "detail"
        ].replace(nobodys, "ID")
    listed = (await bob_api.get("/api/v1/jobs", params={"limit": 100})).json()["items"]
    assert alices_job["id"] not in {j["id"] for j in listed}
    # Alice's job is untouched by all that: bob's DELETE cancelled nothing, his PATCH renamed
    # nothing.
    still = (await api.get(f"/api/v1/jobs/{alices_job['id']}")).json()
    assert still["status"] == "completed"
    assert still["title"] == "alice private"
    assert (await api.get(f"/api/v1/jobs/{alices_job['id']}/download")).status_code == 200


async def test_idempotency_keys_belong_to_their_user(api, bob_api):
    key = {"Idempotency-Key": f"shared-{uuid.uuid4()}"}
    mine = await api.post(SUBMIT, json=dialogue("espeak"), headers=key)
    theirs = await bob_api.post(SUBMIT, json=dialogue("espeak"), headers=key)
    assert mine.status_code == theirs.status_code == 202
    assert mine.json()["id"] != theirs.json()["id"]


@pytest.mark.parametrize("query", ["", "?after=0"], ids=["follow", "resume"])
async def test_a_second_user_cannot_follow_anothers_job(alices_job, stack, bob, query):
    url = _ws(stack, f"/api/v1/jobs/{alices_job['id']}/events{query}")
    async with connect(url, additional_headers=bob.headers) as ws:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), timeout=10)
    assert ws.close_code == 4404


async def test_a_users_feed_carries_only_their_own_jobs(stack, api, bob_api, bob):
    async with connect(_ws(stack, "/api/v1/jobs/events"), additional_headers=bob.headers) as ws:
        snapshot = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        assert snapshot["type"] == "snapshot"
        alices = await submit(api, dialogue("espeak", title="alice, not for bob"))
        bobs = await submit(bob_api, dialogue("espeak", title="bob's own"))
        seen: set[str] = set()

        async def until_bobs_job_completes() -> None:
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] != "event":
                    continue
                seen.add(message["job_id"])
                if message["job_id"] == bobs["id"] and message["event"]["type"].endswith(
                    ".completed.v2"
                ):
                    return

        await asyncio.wait_for(until_bobs_job_completes(), timeout=60)
        await wait_for_status(api, alices["id"], {"completed"})
    assert bobs["id"] in seen and alices["id"] not in seen


async def test_feeds_want_a_key_and_browsers_send_it_as_a_subprotocol(stack, alice, alices_job):
    url = _ws(stack, f"/api/v1/jobs/{alices_job['id']}/events")
    for headers in ({}, {"Authorization": "Bearer tj_000000000000_" + "y" * 43}):
        async with connect(url, additional_headers=headers) as ws:
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), timeout=10)
        assert ws.close_code == 4401 and "key" in ws.close_reason
    async with connect(url, subprotocols=["ttsjobs", f"bearer.{alice.key}"]) as ws:
        assert ws.subprotocol == "ttsjobs", "the key is never echoed back as the protocol"
        snapshot = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
    assert snapshot["type"] == "snapshot" and snapshot["job"]["id"] == alices_job["id"]


async def test_keys_are_stored_only_as_hashes(db, js, alice):
    row = await db.fetchrow("SELECT * FROM api_keys WHERE key_id = $1", alice.key_id)
    assert row["key_sha256"] == hashlib.sha256(alice.key.encode()).hexdigest()
    assert all(alice.key not in str(value) for value in row.values())
    info = await js.stream_info(subjects.ACCOUNTS_STREAM)
    assert info.config.max_age in (None, 0), "accounts never age out"
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        stored = await js.get_msg(subjects.ACCOUNTS_STREAM, seq)
        assert alice.key.encode() not in stored.data


async def test_every_event_of_a_job_names_its_owner(alices_job, js, alice):
    history = await read_history(js, alices_job["id"])
    assert {event.kind for _, event in history} >= {"created", "started", "completed"}
    assert {event.data.user_id for _, event in history} == {alice.user_id}


async def _history_reads(client: httpx.AsyncClient) -> float:
    scrape = (await client.get("/metrics")).text
    return next(
        float(line.split()[-1])
        for line in scrape.splitlines()
        if line.startswith("ttsjobs_job_history_reads_total ")
    )


async def test_anothers_job_is_refused_from_the_table_without_reading_its_events(
    alices_job, bob_api, db
):
    """The 404 for someone else's job comes from the owner column, so it costs what a missing
    id costs; reading the job's history first made it slower, by the job's size. Timing is
    not a test here, so the test counts the gateway's reads of job histories instead."""

    async def in_the_table():
        return await db.fetchval("SELECT 1 FROM tts_jobs WHERE id = $1", alices_job["id"])

    await eventually(in_the_table, what="alice's job in the table")
    nobodys = str(uuid.uuid4())
    for (method, path), (_, missing) in zip(
        _every_job_call(alices_job["id"]), _every_job_call(nobodys), strict=True
    ):
        body = {"title": "bob was here"} if method == "PATCH" else None
        before = await _history_reads(bob_api)
        theirs = await bob_api.request(method, path, json=body)
        between = await _history_reads(bob_api)
        absent = await bob_api.request(method, missing, json=body)
        after = await _history_reads(bob_api)
        assert theirs.status_code == absent.status_code == 404, (method, path)
        assert between == before, f"{method} {path} read alice's job's events"
        # The counter does count: a missing id is looked for in the stream.
        assert after > between, (method, missing)
        assert theirs.json() | {"detail": "", "instance": "", "job_id": ""} == absent.json() | {
            "detail": "",
            "instance": "",
            "job_id": "",
        }
        assert {k: v for k, v in theirs.headers.items() if k != "date"} == {
            k: v for k, v in absent.headers.items() if k != "date"
        }
