"""Two gateways on one stack, as a deployment behind a load balancer runs them: what one accepts
the other reads at once, a key names one job whichever gateway it reaches, and a delete on one
is a 404 on both. The projection is stopped throughout, so neither gateway can lean on the
table: reads of a job another gateway accepted come from the job's events (reads/current.py)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.conftest import eventually
from tests.support.gateways import start_second_gateway
from tests.support.jobs import dialogue, submit, wait_for_status

pytestmark = pytest.mark.e2e


@pytest.fixture
async def other_gateway(stack, alice):
    """alice's client of a second gateway, with the projection stopped meanwhile."""
    url = await start_second_gateway(stack, "gateway-b")
    stack.stop_service("projection")
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30, headers=alice.headers) as client:
            yield client
    finally:
        stack.start_service("projection")
        stack.stop_service("gateway-b")


async def test_a_job_accepted_on_one_gateway_is_read_on_the_other_at_once(api, other_gateway, db):
    body = dialogue("espeak", title=f"read elsewhere {uuid.uuid4()}")
    job = await submit(api, body)
    response = await other_gateway.get(f"/api/v1/jobs/{job['id']}")
    assert response.status_code == 200, "a job accepted elsewhere is never a 404"
    # espeak may finish three short turns before this GET lands; any state is an honest answer
    # as long as it is this job's, read without the table.
    seen = response.json()
    assert (seen["id"], seen["title"]) == (job["id"], body["title"])
    assert seen["status"] in ("pending", "processing", "completed")
    assert await db.fetchval("SELECT count(*) FROM tts_jobs WHERE id = $1", job["id"]) == 0
    done = await wait_for_status(other_gateway, job["id"], {"completed"})
    assert (done["progress"]["done"], done["progress"]["total"]) == (3, 3)
    audio = await other_gateway.get(f"/api/v1/jobs/{job['id']}/download")
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"


async def test_one_idempotency_key_is_one_job_on_either_gateway(api, other_gateway):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = dialogue("espeak", title="either door")
    first = await api.post("/api/v1/jobs/tts/multi-role", json=body, headers=key)
    again = await other_gateway.post("/api/v1/jobs/tts/multi-role", json=body, headers=key)
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert first.json()["id"] == again.json()["id"]


async def test_a_delete_on_one_gateway_is_a_404_on_both(api, other_gateway):
    job = await submit(api, dialogue("espeak"))
    await wait_for_status(api, job["id"], {"completed"})
    assert (await other_gateway.delete(f"/api/v1/jobs/{job['id']}")).status_code == 204
    assert (await other_gateway.get(f"/api/v1/jobs/{job['id']}")).status_code == 404

    async def gone_on_the_first() -> bool:
        # Within a moment: the first gateway learns of the delete from its tap, which NATS
        # pushes within milliseconds (the window in live/stream_watch.py).
        return (await api.get(f"/api/v1/jobs/{job['id']}")).status_code == 404

    await eventually(gone_on_the_first, what="the delete reaching the first gateway", timeout_s=5)
