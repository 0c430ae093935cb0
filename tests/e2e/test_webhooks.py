"""The webhook notifier end to end: a job's final event POSTed to its callback_url, signed,
retried with backoff until delivered, every attempt shown on the job; URLs off the allowlist
refused at submission."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from itertools import pairwise

import pytest

from tests.conftest import eventually
from tests.support.jobs import SUBMIT, UNSAYABLE, dialogue, submit, wait_for_status
from ttsjobs.callbacks import SIGNATURE_HEADER, has_no_callback, verify
from ttsjobs.contracts import subjects

pytestmark = pytest.mark.e2e


async def _job_with_callback(api, hooks, path: str, **overrides) -> dict:
    body = dialogue("espeak", callback_url=f"{hooks.url}{path}", **overrides)
    return await submit(api, body)


async def _callbacks(api, job_id: str, count: int) -> list[dict]:
    async def shown():
        job = (await api.get(f"/api/v1/jobs/{job_id}")).json()
        return job["callbacks"] if len(job["callbacks"]) >= count else None

    return await eventually(shown, what=f"{count} callback attempts on the job")


async def test_a_completed_job_is_posted_signed_to_its_callback(api, hooks):
    path = f"/hooks/ok-{uuid.uuid4()}"
    job = await _job_with_callback(api, hooks, path)
    await wait_for_status(api, job["id"], {"completed"})
    [attempt] = await _callbacks(api, job["id"], 1)
    assert attempt["delivered"] and attempt["final"] and attempt["status_code"] == 200
    assert attempt["attempt"] == 1 and attempt["url"] == f"{hooks.url}{path}"

    [request] = hooks.to(path)
    event = json.loads(request["body"])
    assert event["type"] == "io.ttsjobs.job.completed.v2" and event["subject"] == job["id"]
    assert request["headers"]["Content-Type"] == "application/cloudevents+json"
    assert request["headers"]["Ttsjobs-Delivery"] == event["id"]
    signature = request["headers"][SIGNATURE_HEADER]
    assert verify(hooks.secret, request["body"], signature)
    assert not verify("another-secret", request["body"], signature)
    assert not verify(hooks.secret, request["body"] + b" ", signature), "the body is covered"


async def test_a_failing_receiver_is_retried_until_it_answers(api, hooks):
    path = f"/hooks/flaky-{uuid.uuid4()}"
    hooks.fail_first(path, 2)
    job = await _job_with_callback(api, hooks, path)
    await wait_for_status(api, job["id"], {"completed"})
    attempts = await _callbacks(api, job["id"], 3)
    assert [(a["attempt"], a["status_code"], a["delivered"], a["final"]) for a in attempts] == [
        (1, 500, False, False),
        (2, 500, False, False),
        (3, 200, True, True),
    ]
    assert attempts[0]["error"] == "the receiver answered HTTP 500"
    ids = {r["headers"]["Ttsjobs-Delivery"] for r in hooks.to(path)}
    assert len(hooks.to(path)) == 3 and len(ids) == 1, "one delivery id across the retries"
    # The waits between attempts grow: 0.2 s, then 0.4 s (TTSJOBS_WEBHOOK_BACKOFF_BASE_S).
    gaps = [(_at(b) - _at(a)).total_seconds() for a, b in pairwise(attempts)]
    assert gaps[0] >= 0.2 and gaps[1] >= 0.4


async def test_a_receiver_that_never_answers_gets_a_final_attempt(api, hooks):
    path = f"/hooks/down-{uuid.uuid4()}"
    hooks.fail_first(path, 100)
    body = dialogue("piper")
    body["turns"][0]["text"] = UNSAYABLE  # a failed job is posted too
    body["callback_url"] = f"{hooks.url}{path}"
    job = await submit(api, body)
    await wait_for_status(api, job["id"], {"failed"})
    attempts = await _callbacks(api, job["id"], 4)  # TTSJOBS_WEBHOOK_MAX_ATTEMPTS in the suite
    assert [a["final"] for a in attempts] == [False, False, False, True]
    assert not any(a["delivered"] for a in attempts)
    assert json.loads(hooks.to(path)[0]["body"])["type"] == "io.ttsjobs.job.failed.v1"


async def test_a_job_without_a_callback_posts_nothing(api, hooks, js):
    before = len(hooks.received)
    job = await submit(api, dialogue("espeak"))
    await wait_for_status(api, job["id"], {"completed"})
    assert (await api.get(f"/api/v1/jobs/{job['id']}")).json()["callbacks"] == []
    assert len(hooks.received) == before
    # Its final event says so, so the notifier acks it without reading the job's JobCreated.
    completed = await js.get_last_msg(subjects.STREAM, subjects.job_event(job["id"], "completed"))
    assert has_no_callback(completed.headers)


async def test_a_final_event_of_a_job_with_a_callback_is_not_marked_as_without(api, hooks, js):
    job = await _job_with_callback(api, hooks, f"/hooks/marked-{uuid.uuid4()}")
    await wait_for_status(api, job["id"], {"completed"})
    completed = await js.get_last_msg(subjects.STREAM, subjects.job_event(job["id"], "completed"))
    assert not has_no_callback(completed.headers)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/hooks/x",  # another port
        "http://example.com/hooks/x",  # another host
        "{hooks}/elsewhere/x",  # outside the allowed path
        "{hooks}.evil.example/hooks/x",  # a host that only starts like the allowed one
        "ftp://127.0.0.1/hooks/x",
    ],
)
async def test_callback_urls_off_the_allowlist_are_refused(api, hooks, url):
    body = dialogue("espeak", callback_url=url.format(hooks=hooks.url))
    refused = await api.post(SUBMIT, json=body)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["callback_url"]


def _at(attempt: dict) -> datetime:
    return datetime.fromisoformat(attempt["at"])
