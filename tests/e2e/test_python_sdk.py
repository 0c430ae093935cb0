"""The Python SDK (clients/python) against the live stack: a script submitted, waited for over
the feed and downloaded (Client); jobs listed a page at a time with the cursor, a pending job
cancelled, a refusal as ApiError (AsyncClient); and ``wait()`` that outlives its gateway's
restart in the middle of the wait."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import soundfile
from ttsjobs_client import ApiError, AsyncClient, Client

from tests.conftest import eventually
from ttsjobs_cli.embedded.processes import free_port

pytestmark = pytest.mark.e2e

ESPEAK = {"provider": "espeak", "voice": "en-us"}


def test_a_script_is_submitted_waited_for_and_downloaded(stack, alice, tmp_path):
    script = tmp_path / "morning.txt"
    script.write_text("Alice: Good morning, Bob.\nBob: Morning, Alice.\n", encoding="utf-8")
    heard: list[dict] = []
    with Client(stack.gateway_url, alice.key) as client:
        job = client.submit_script(script, title="sdk morning", provider="espeak",
                                   output_format="wav")  # fmt: skip
        assert job.title == "sdk morning" and job.progress.total == 2
        done = client.wait(job.id, timeout_s=120, on_message=heard.append)
        got = client.download(job.id, tmp_path)
    assert done.status.value == "completed", done.error_message
    assert heard[0]["type"] == "snapshot"
    assert heard[-1]["event"]["type"].split(".")[-2] == "completed"
    assert got.path.parent == tmp_path and got.path.suffix == ".wav"
    assert got.size == got.path.stat().st_size == done.result.audio.size_bytes
    audio, rate = soundfile.read(got.path)
    assert abs(len(audio) / rate * 1000 - done.result.duration_ms) < 50


async def test_jobs_are_listed_a_page_at_a_time_and_a_refusal_is_an_api_error(stack, alice):
    marker = f"sdk-list-{uuid.uuid4().hex[:8]}"
    async with AsyncClient(stack.gateway_url, alice.key) as client:
        made = [
            await client.submit_text(f"Number {n}.", title=f"{marker} {n}", **ESPEAK)
            for n in range(3)
        ]

        async def all_listed():
            return len((await client.jobs_page(limit=10, q=marker)).items) == 3

        await eventually(all_listed, what="the three jobs listed")
        first = await client.jobs_page(limit=2, q=marker)
        assert len(first.items) == 2 and first.next_cursor
        listed = [job.id async for job in client.jobs(page_size=2, q=marker)]
        assert listed == [job.id for job in reversed(made)], "newest first, each once"

        with pytest.raises(ApiError) as refused:
            await client.submit_text("Hi.", provider="espeak", voice="en-us", speed=99)
    err = refused.value
    assert err.status == 422 and err.type.startswith("urn:ttsjobs:problem:")
    assert any("speed" in str(error.get("field")) for error in err.errors), err.errors


async def _ready(client: AsyncClient) -> bool:
    try:
        return (await client.http.get("/readyz")).status_code == 200
    except Exception:
        return False


async def test_wait_outlives_a_gateway_restart_and_a_pending_job_is_cancelled(stack, alice):
    """Synthesis is stopped, so the jobs stay pending: the restart falls mid-wait for sure."""
    name, port = "gateway-sdk", free_port()
    env = {
        "TTSJOBS_PORT": str(port),
        "TTSJOBS_DATABASE_URL": stack.env.get(
            "TTSJOBS_GATEWAY_DATABASE_URL", stack.env["TTSJOBS_DATABASE_URL"]
        ),
    }
    stack.stop_service("synthesis")
    try:
        stack.start_service(name, service="gateway", extra_env=env)
        async with AsyncClient(f"http://127.0.0.1:{port}", alice.key) as client:
            await eventually(lambda: _ready(client), what="the gateway ready")
            doomed = await client.submit_text("Cancel me.", **ESPEAK)
            await client.cancel(doomed.id)
            assert (await client.wait(doomed.id, timeout_s=30)).status.value == "cancelled"
            with pytest.raises(ApiError) as refused:
                await client.cancel(doomed.id)
            assert refused.value.status == 409

            job = await client.submit_text("The gateway restarts while I wait.", **ESPEAK)
            # The same wait twice over the same restart: AsyncClient's, and Client's in a thread.
            heard: list[dict] = []
            heard_sync: list[dict] = []
            waiting = asyncio.create_task(
                client.wait(job.id, timeout_s=120, on_message=heard.append)
            )
            with Client(client.base_url, alice.key) as blocking:
                waiting_sync = asyncio.create_task(
                    asyncio.to_thread(
                        blocking.wait, job.id, timeout_s=120, on_message=heard_sync.append
                    )
                )

                async def snapshots_heard():
                    return heard and heard_sync

                await eventually(snapshots_heard, what="the feeds' snapshots")
                stack.stop_service(name)
                stack.start_service(name, service="gateway", extra_env=env)
                await eventually(lambda: _ready(client), what="the gateway back")
                assert not waiting.done() and not waiting_sync.done(), "the job is pending"
                stack.start_service("synthesis")
                done = await asyncio.wait_for(waiting, timeout=120)
                done_sync = await asyncio.wait_for(waiting_sync, timeout=120)
        assert done.status.value == done_sync.status.value == "completed", done.error_message
        for messages in (heard, heard_sync):
            seqs = [message["seq"] for message in messages]
            assert messages[0]["type"] == "snapshot"
            assert messages[0]["job"]["status"] == "pending"
            assert seqs == sorted(set(seqs)), "resumed after the last event: none twice"
            assert messages[-1]["event"]["type"].split(".")[-2] == "completed"
    finally:
        stack.stop_service(name)
        if "synthesis" not in stack.services:
            stack.start_service("synthesis")
        stack.wait_ready(timeout_s=120)
