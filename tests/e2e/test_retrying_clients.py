"""Clients that retry (tools/ttsjobs_cli/retrying.py) against live gateways: a key whose claim
was left by a request that died in flight is answered 409 with Retry-After: 1, retried, and once
the claim's lease has lapsed (seconds, not the 30 s of old) answered with the job the dead
request had begun, made once; `ttsjobs submit` to a gateway that is down rides on until it is
up."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import subprocess
import sys
import time
import uuid

import pytest

from tests.support.jobs import SUBMIT, dialogue, wait_for_status
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_cli.embedded.processes import free_port
from ttsjobs_cli.retrying import IN_FLIGHT, post_retrying
from ttsjobs_gateway.idempotency import BUCKET, LEASE_S, body_hash

pytestmark = pytest.mark.e2e


async def _created_count(js) -> int:
    info = await js.stream_info(subjects.STREAM, subjects_filter=subjects.every_job("created"))
    return sum((info.state.subjects or {}).values())


async def test_a_retrying_client_gets_the_job_of_a_request_that_died_in_flight(api, js, alice):
    key, body, orphan = f"retry-{uuid.uuid4()}", dialogue("espeak"), str(uuid.uuid4())
    # What a request holds between taking the key and publishing, as its gateway died.
    record = {"state": "pending", "body": body_hash(MultiRoleRequest.model_validate(body)),
              "job_id": orphan, "at": time.time(), "lease_s": LEASE_S}  # fmt: skip
    name = hashlib.sha256(f"{alice.user_id}\n{key}".encode()).hexdigest()
    await (await js.key_value(BUCKET)).create(name, json.dumps(record).encode())
    before = await _created_count(js)
    answers = []

    async def heard(response):
        await response.aread()
        answers.append(response)

    api.event_hooks["response"].append(heard)
    answer = await post_retrying(api, SUBMIT, json=body, key=key)

    assert answer.status_code == 202 and answer.json()["id"] == orphan
    refused = answers[:-1]
    assert refused, "the first tries found the claim in flight"
    assert {(r.status_code, r.json()["type"], r.headers["retry-after"]) for r in refused} == {
        (409, IN_FLIGHT, "1")
    }
    await wait_for_status(api, orphan, {"completed"})
    assert await _created_count(js) == before + 1


async def test_the_cli_submits_to_a_gateway_that_comes_up_meanwhile(stack, api, alice, tmp_path):
    port = free_port()
    spec = tmp_path / "late.json"
    spec.write_text(json.dumps(dialogue("espeak", title=f"late {uuid.uuid4()}")))
    env = {**os.environ, "TTSJOBS_API_KEY": alice.key, "XDG_CONFIG_HOME": str(tmp_path)}
    url = f"http://127.0.0.1:{port}"
    cli = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ttsjobs_cli.main", "--url", url, "submit", str(spec),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        # Nothing listens there until this gateway is up, seconds after the CLI's first try
        # (the same read-only database role as the main one, as tests/support/gateways.py).
        stack.start_service("gateway-late", service="gateway", extra_env={
            "TTSJOBS_PORT": str(port),
            "TTSJOBS_DATABASE_URL": stack.env.get(
                "TTSJOBS_GATEWAY_DATABASE_URL", stack.env["TTSJOBS_DATABASE_URL"]
            ),
        })  # fmt: skip
        said = await asyncio.wait_for(cli.communicate(), timeout=60)
    finally:
        if cli.returncode is None:
            cli.kill()
        stack.stop_service("gateway-late")
    out, err = (text.decode() for text in said)
    assert cli.returncode == 0, out + err
    assert "no answer yet (ConnectError)" in err
    job_id = out.split()[0]
    assert (await api.get(f"/api/v1/jobs/{job_id}")).status_code == 200
