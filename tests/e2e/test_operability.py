"""Operability on the real stack: health and readiness on each service, a metrics scrape with
every named series, one trace across the three services (from their span files and their
logs), a synthesis drain that loses no job, and feeds closed properly when a gateway stops."""

from __future__ import annotations

import asyncio
import json
import re
import uuid

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.conftest import eventually
from tests.support.gateways import start_second_gateway
from tests.support.jobs import UNSAYABLE, dialogue, submit, wait_for_status
from ttsjobs.messaging.job_history import read_history
from ttsjobs_cli.embedded.processes import free_port

pytestmark = pytest.mark.e2e
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _probe(stack, service: str) -> str:
    return f"http://127.0.0.1:{stack.probe_ports[service]}"


async def test_every_service_answers_health_and_readiness(stack):
    async with httpx.AsyncClient(timeout=10) as client:
        for base, deps in (
            (stack.gateway_url, {"nats", "postgresql", "s3"}),
            (_probe(stack, "synthesis"), {"nats", "s3"}),
            (_probe(stack, "projection"), {"nats", "postgresql", "s3"}),
        ):
            assert (await client.get(f"{base}/healthz")).json() == {"status": "ok"}
            ready = await client.get(f"{base}/readyz")
            assert ready.status_code == 200, (base, ready.text)
            assert ready.json()["checks"] == dict.fromkeys(deps, True)


async def test_readiness_names_the_dependency_that_is_down(stack):
    """A projection pointed at an S3 endpoint where nothing listens: alive, not ready, says s3."""
    name = "projection-no-s3"
    stack.start_service(
        name,
        service="projection",
        extra_env={
            "TTSJOBS_S3_ENDPOINT": f"http://127.0.0.1:{free_port()}",
            "TTSJOBS_JANITOR_INTERVAL_S": "0",
            "TTSJOBS_PROJECTION_CONSUMER": "readiness-check",
            "TTSJOBS_ACCOUNTS_CONSUMER": "readiness-check-accounts",
        },
    )
    try:
        async with httpx.AsyncClient(base_url=_probe(stack, name), timeout=10) as client:

            async def answering():
                try:
                    return await client.get("/readyz")
                except httpx.TransportError:
                    return None

            ready = await eventually(answering, what="the second projection's probes")
            assert (await client.get("/healthz")).status_code == 200
        assert ready.status_code == 503
        assert ready.headers["content-type"] == "application/problem+json"
        problem = ready.json()
        assert problem["detail"] == "not answering: s3"
        assert problem["checks"] == {"nats": True, "postgresql": True, "s3": False}
    finally:
        stack.stop_service(name)


async def test_a_scrape_has_every_named_series_and_no_ids_as_labels(stack, api):
    done = await submit(api, dialogue("espeak", title="metrics"))
    failing = dialogue("piper")
    failing["turns"][0]["text"] = UNSAYABLE
    failed = await submit(api, failing)
    long = dialogue("espeak", turns=[{"speaker": "Alice", "text": f"Turn {i}."} for i in range(30)])
    del long["voice_assignments"]["Bob"]  # only speakers that have a turn may have a voice
    cancelled = await submit(api, long)
    assert (await api.delete(f"/api/v1/jobs/{cancelled['id']}")).status_code in (200, 202)
    await wait_for_status(api, done["id"], {"completed"})
    await wait_for_status(api, failed["id"], {"failed"})
    await wait_for_status(api, cancelled["id"], {"cancelled"})

    wanted = {
        "gateway": ["ttsjobs_jobs_created_total"],
        "synthesis": [
            "ttsjobs_jobs_completed_total",
            "ttsjobs_jobs_failed_total",
            "ttsjobs_job_queue_wait_seconds_bucket",
            "ttsjobs_job_duration_seconds_bucket",
            "ttsjobs_turn_synthesis_seconds_bucket",
            "ttsjobs_job_real_time_factor_bucket",
            'ttsjobs_consumer_num_pending{consumer="synthesis"}',
            'ttsjobs_consumer_num_ack_pending{consumer="synthesis"}',
        ],
        "projection": [
            'ttsjobs_projection_lag_seconds{consumer="projection"}',
            'ttsjobs_projection_lag_events{consumer="projection"}',
            'ttsjobs_consumer_num_pending{consumer="projection"}',
            'ttsjobs_consumer_num_ack_pending{consumer="projection-accounts"}',
        ],
    }
    bases = {
        "gateway": stack.gateway_url,
        "synthesis": _probe(stack, "synthesis"),
        "projection": _probe(stack, "projection"),
    }
    async with httpx.AsyncClient(timeout=10) as client:

        async def scrapes():
            texts = {s: (await client.get(f"{b}/metrics")).text for s, b in bases.items()}
            missing = [(s, n) for s, names in wanted.items() for n in names if n not in texts[s]]
            return texts if not missing else None

        texts = await eventually(scrapes, what="every named series in a scrape")
    cancels = sum(
        float(value)
        for text in texts.values()
        for value in re.findall(r"^ttsjobs_jobs_cancelled_total\{[^}]*\} (\S+)$", text, re.M)
    )
    assert cancels >= 1, "the cancel is counted by whichever service ended the job"
    assert re.search(r'ttsjobs_jobs_created_total\{provider="espeak"\} \d', texts["gateway"])
    for service, text in texts.items():
        assert not UUID.search(text), f"{service} labels a series with an id"


def _spans(stack, service: str) -> list[dict]:
    path = stack.data_dir / "traces" / f"{service}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _log_lines(stack, service: str, job_id: str) -> list[dict]:
    lines = []
    for raw in (stack.data_dir / "logs" / f"{service}.log").read_text().splitlines():
        if raw.startswith("{") and job_id in raw:
            lines.append(json.loads(raw))
    return lines


async def test_one_job_is_one_trace_across_the_three_services(stack, api, alice):
    # Text no other job has, so that its turns are synthesized rather than found in the cache.
    body = dialogue("espeak", title="one trace")
    body["turns"][0]["text"] = f"One trace, {uuid.uuid4()}."
    job = await submit(api, body)
    await wait_for_status(api, job["id"], {"completed"})

    def trace_of_post() -> str | None:
        # The gateway's spans read once a look: the session's file holds thousands of them.
        spans = _spans(stack, "gateway")
        sent = {
            s["context"]["trace_id"] for s in spans
            if s["name"] == "send JobCreated"
            and s["attributes"]["messaging.message.id"] == f"{job['id']}.created"
        }  # fmt: skip
        for span in spans:
            if span["kind"] == "SpanKind.SERVER" and span["name"].startswith("POST"):
                if span["context"]["trace_id"] in sent:
                    return str(span["context"]["trace_id"])
        return None

    async def posted():
        return trace_of_post()

    trace_id = await eventually(posted, what="the POST span and its send span")

    async def joined() -> dict[str, list[dict]] | None:
        found = {
            service: [s for s in _spans(stack, service) if s["context"]["trace_id"] == trace_id]
            for service in ("gateway", "synthesis", "projection")
        }
        names = {s["name"] for spans in found.values() for s in spans}
        want = {"process JobCreated", "synthesize job", "synthesize turn", "send JobCompleted",
                "process JobCompleted"}  # fmt: skip
        return found if want <= names else None

    found = await eventually(joined, what="synthesis and projection spans in the POST's trace")
    by_id = {s["context"]["span_id"]: s for spans in found.values() for s in spans}
    job_span = next(s for s in found["synthesis"] if s["name"] == "synthesize job")
    turns = [s for s in found["synthesis"] if s["name"] == "synthesize turn"]
    assert turns and all(by_id[t["parent_id"]]["name"] == "synthesize job" for t in turns)
    consumed = by_id[job_span["parent_id"]]
    assert consumed["name"] == "process JobCreated" and consumed["kind"] == "SpanKind.CONSUMER"
    assert by_id[consumed["parent_id"]]["name"] == "send JobCreated"
    applies = [s for s in found["projection"] if s["name"].startswith("process Job")]
    assert {"process JobCreated", "process JobCompleted"} <= {s["name"] for s in applies}

    # The logs of all three services carry the same trace for this job, with span and user.
    hex_trace = trace_id.removeprefix("0x")
    for service in ("gateway", "synthesis", "projection"):
        lines = _log_lines(stack, service, job["id"])
        assert lines, service
        for line in lines:
            if line.get("job_id") != job["id"]:
                continue
            assert line["trace_id"] == hex_trace, (service, line)
            assert line["span_id"] and line["user_id"] == alice.user_id, (service, line)


async def test_a_drained_worker_hands_its_job_back_and_it_completes(stack, api, js):
    """SIGTERM mid-job: the worker stops at a turn boundary, the job goes back to the stream,
    and a worker (here the restarted one) resumes it from the cached turns."""
    text = "Drain test: a turn long enough to be caught in the middle of the job, on purpose."
    body = dialogue("piper", title="drain", turns=[
        {"speaker": "Alice" if i % 2 == 0 else "Bob", "text": f"{text} Number {i}."}
        for i in range(16)
    ])  # fmt: skip
    job = await submit(api, body)

    async def some_turns_done():
        return [e for _, e in await read_history(js, job["id"]) if e.kind == "progressed"]

    await eventually(some_turns_done, what="the job under way")
    stack.stop_service("synthesis")  # SIGTERM, and waits for the process to exit
    try:
        log = (stack.data_dir / "logs" / "synthesis.log").read_text()
        assert "synthesis.draining" in log and "job.handed_back" in log
        state = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
        assert state["status"] == "processing", "handed back, not failed"
    finally:
        stack.start_service("synthesis")
    finished = await wait_for_status(api, job["id"], {"completed", "failed"}, timeout_s=120)
    assert finished["status"] == "completed"
    kinds = [e.kind for _, e in await read_history(js, job["id"])]
    assert kinds.count("started") == 1 and kinds.count("completed") == 1
    assert finished["result"]["cache_hits"] >= 1, "the second worker reused the first's turns"


async def test_a_stopping_gateway_closes_its_feeds_with_a_restart_code(stack, alice):
    try:
        base = await start_second_gateway(stack, "gateway-stopping")
        url = base.replace("http://", "ws://") + "/api/v1/jobs/events"
        async with connect(url, additional_headers=alice.headers) as ws:
            assert json.loads(await ws.recv())["type"] == "snapshot"
            stack.stop_service("gateway-stopping")
            with pytest.raises(ConnectionClosed):
                while True:
                    await asyncio.wait_for(ws.recv(), timeout=15)
        # 1012 "service restart" (or 1001 "going away"): the client reconnects and resumes.
        assert ws.close_code in (1001, 1012)
    finally:
        stack.stop_service("gateway-stopping")
