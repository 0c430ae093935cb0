"""The gateway's own CPU per GET of a finished job, without a server, database or NATS.

    .venv/bin/python bench/get_in_process.py [--batches 12] [--requests 3000] [--profile]

GETs driven straight into the ASGI app (a hand-made scope; no socket, no HTTP parsing), the row
and the API key served by a fake pool, tracing set up as the gateway's process sets it up (a
provider, no exporter). What is left is the gateway's own work per request: middleware, routing,
dependencies, the owner check, the view and its serialisation, the span. CPU time per request,
best of ``--batches`` batches: the least disturbed by neighbours on a shared machine.
``--profile`` prints cProfile's top functions instead. The bare app of bench/reads.py, run the
same way (its own route, the same fake row), is measured too, for scale.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ttsjobs.accounts.keys import new_key
from ttsjobs.contracts.job_events import AudioObject, JobResult, TurnTiming
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs.observability.tracing import configure_tracing
from ttsjobs.readmodel.rows import COLUMNS, row_from_state
from ttsjobs_gateway.auth import ApiKeys
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.limits import SubmissionRate
from ttsjobs_gateway.live.live_jobs import LiveJobs
from ttsjobs_gateway.main import create_app
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.state import Ports

USER = uuid.UUID("00000000-0000-4000-8000-000000000001")
JOB = uuid.UUID("00000000-0000-4000-8000-000000000002")
T0 = datetime(2026, 12, 1, 12, tzinfo=UTC)


def completed_row() -> dict[str, Any]:
    """A tts_jobs row of a completed one-turn job, as asyncpg hands it back (jsonb as text)."""
    request = MultiRoleRequest.model_validate(
        {
            "provider": "tone",
            "turns": [{"speaker": "A", "text": "One line to read back."}],
            "voice_assignments": {"A": {"voice": "mid"}},
        }
    )
    audio = AudioObject(
        bucket="ttsjobs-audio",
        object_key=f"jobs/{JOB}/audio.wav",
        size_bytes=48_044,
        content_type="audio/wav",
        format="wav",
        sample_rate=24_000,
    )
    timing = TurnTiming(index=0, speaker="A", start_ms=0, end_ms=1000, synthesis_ms=3)
    state = JobState(
        id=str(JOB),
        user_id=str(USER),
        status=JobStatus.completed,
        job_type="multi_role_tts",
        provider="tone",
        title=None,
        input=request,
        progress_done=1,
        progress_total=1,
        result=JobResult(duration_ms=1000, latency_ms=12, turn_timings=[timing], audio=audio),
        audio_file_id=f"jobs/{JOB}/audio.wav",
        created_at=T0,
        started_at=T0 + timedelta(milliseconds=20),
        completed_at=T0 + timedelta(milliseconds=40),
        updated_at=T0 + timedelta(milliseconds=41),
        last_event_seq=3,
        last_event_id=str(uuid.uuid4()),
    )
    row = dict(zip(COLUMNS, row_from_state(state), strict=False))
    row.update(id=JOB, user_id=USER, read_model_error=None)
    return row


class FakePool:
    """Answers the gateway's two queries of a GET: the API key, and the job's row."""

    def __init__(self, row: dict[str, Any], key_sha256: str) -> None:
        self.row = row
        self.key = {"user_id": USER, "key_sha256": key_sha256}

    async def fetchrow(self, query: str, *_args: Any) -> dict[str, Any]:
        return self.key if "api_keys" in query else self.row


def gateway(pool: FakePool) -> Any:
    settings = Settings()
    app = create_app(settings)
    app.state.ports = Ports(
        settings=settings,
        history=None,  # type: ignore[arg-type]  # a GET decides nothing
        # A finished job's GET never reads its events.
        reads=JobReads(pool, live=LiveJobs(), events=None),  # type: ignore[arg-type]
        catalogue=None,  # type: ignore[arg-type]
        audio=None,  # type: ignore[arg-type]
        stream=None,  # type: ignore[arg-type]
        feeds=None,  # type: ignore[arg-type]
        idempotency=None,  # type: ignore[arg-type]
        rate=SubmissionRate(120),
        keys=ApiKeys(pool, cache_s=3600),  # type: ignore[arg-type]
        readiness={},
    )
    return app


def bare(pool: FakePool) -> Any:
    """bench/reads.py's bare app, on the fake pool."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/jobs/{job_id}/{user_id}")
    async def job(job_id: str, user_id: str) -> dict[str, Any]:
        row = await pool.fetchrow("SELECT", job_id, user_id)
        return {
            k: (v if isinstance(v, (int, float, type(None))) else str(v)) for k, v in row.items()
        }

    return app


def scope_for(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def get(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope_for(path, headers), receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def batch(app: Any, path: str, headers: list[tuple[bytes, bytes]], n: int) -> float:
    """CPU seconds per request over ``n`` requests."""
    start = time.process_time()
    for _ in range(n):
        await get(app, path, headers)
    return (time.process_time() - start) / n


async def measure(args: argparse.Namespace) -> None:
    key = new_key()
    pool = FakePool(completed_row(), key.sha256)
    app = gateway(pool)
    path = f"/api/v1/jobs/{JOB}"
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"authorization", f"Bearer {key.key}".encode()),
        (b"user-agent", b"wrk"),
    ]
    status, body = await get(app, path, headers)
    assert status == 200, body
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        await batch(app, path, headers, args.requests)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return
    theirs = bare(pool)
    their_path, their_headers = f"/jobs/{JOB}/{USER}", [(b"host", b"127.0.0.1:8000")]
    assert (await get(theirs, their_path, their_headers))[0] == 200
    ours, bares = [], []
    for _ in range(args.batches):  # alternately, so a busy moment falls on both
        ours.append(await batch(app, path, headers, args.requests))
        bares.append(await batch(theirs, their_path, their_headers, args.requests))
    print(
        f"gateway {min(ours) * 1e6:.0f} µs CPU per GET (best of {args.batches}),"
        f" bare app {min(bares) * 1e6:.0f} µs, ratio {min(bares) / min(ours):.2f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    configure_tracing("gateway")
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
