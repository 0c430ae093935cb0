"""Idempotency-Key on POST: a repeat gives the same job and publishes nothing new; the same key
with another body is refused; a repeat while the first is in flight is a conflict."""

from __future__ import annotations

import hashlib
import json
import time
import uuid

import pytest

from tests.support.jobs import SUBMIT, dialogue, wait_for_status
from ttsjobs.contracts import subjects
from ttsjobs_gateway.idempotency import BUCKET

pytestmark = pytest.mark.e2e


async def _created_count(js) -> int:
    info = await js.stream_info(subjects.STREAM, subjects_filter=subjects.every_job("created"))
    return sum((info.state.subjects or {}).values())


async def test_a_repeated_request_returns_the_same_job(api, js):
    key = {"Idempotency-Key": f"order-{uuid.uuid4()}"}
    body = dialogue("espeak", title="idempotent")
    before = await _created_count(js)
    first = await api.post(SUBMIT, json=body, headers=key)
    second = await api.post(SUBMIT, json=body, headers=key)
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    assert first.headers["location"] == second.headers["location"]
    assert await _created_count(js) == before + 1, "the repeat published nothing"

    await wait_for_status(api, first.json()["id"], {"completed"})
    later = await api.post(SUBMIT, json=body, headers=key)
    assert later.json()["id"] == first.json()["id"] and later.json()["status"] == "completed"


async def test_the_same_key_with_another_body_is_refused(api, js):
    key = {"Idempotency-Key": f"order-{uuid.uuid4()}"}
    assert (await api.post(SUBMIT, json=dialogue("espeak"), headers=key)).status_code == 202
    before = await _created_count(js)
    other = await api.post(SUBMIT, json=dialogue("espeak", title="different"), headers=key)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await _created_count(js) == before


async def test_a_repeat_while_the_first_is_in_flight_is_a_conflict(api, js, alice):
    from ttsjobs.contracts.job_request import MultiRoleRequest
    from ttsjobs_gateway.idempotency import body_hash

    key = f"order-{uuid.uuid4()}"
    body = dialogue("espeak")
    # What a first request holds between taking the key and publishing its job.
    kv = await js.key_value(BUCKET)
    name = hashlib.sha256(f"{alice.user_id}\n{key}".encode()).hexdigest()
    fingerprint = body_hash(MultiRoleRequest.model_validate(body))
    record = {
        "state": "pending",
        "body": fingerprint,
        "job_id": str(uuid.uuid4()),
        "at": time.time(),
    }
    await kv.create(name, json.dumps(record).encode())

    response = await api.post(SUBMIT, json=body, headers={"Idempotency-Key": key})
    assert response.status_code == 409
    assert response.headers["retry-after"] == "1"
    assert response.json()["type"] == "urn:ttsjobs:problem:idempotency-key-in-use"


async def test_a_first_request_that_died_is_finished_by_its_repeat(api, js, alice):
    from ttsjobs.contracts.job_request import MultiRoleRequest
    from ttsjobs_gateway.idempotency import body_hash

    key = f"order-{uuid.uuid4()}"
    body = dialogue("espeak")
    kv = await js.key_value(BUCKET)
    name = hashlib.sha256(f"{alice.user_id}\n{key}".encode()).hexdigest()
    orphan = str(uuid.uuid4())
    record = {"state": "pending", "body": body_hash(MultiRoleRequest.model_validate(body)),
              "job_id": orphan, "at": time.time() - 120}  # fmt: skip
    await kv.create(name, json.dumps(record).encode())

    response = await api.post(SUBMIT, json=body, headers={"Idempotency-Key": key})
    assert response.status_code == 202 and response.json()["id"] == orphan
    await wait_for_status(api, orphan, {"completed"})
