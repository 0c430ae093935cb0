"""Benchmark: how fast the projection turns job events into tts_jobs rows.

    .venv/bin/python bench/projection_rebuild.py [--runs 3] [--jobs 4000]

Fills the job stream with ``--jobs`` jobs of five events each (created, started, progressed
twice, failed), then measures, on the embedded servers:
- catch-up: the projection service started on that backlog, until its position reaches the end;
  reported from its first delivery (the service up and reading) and from its start;
- rebuild: ``ttsjobs projection rebuild`` (replay into a fresh schema, swap, catch up).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import nats
from nats.js.errors import NotFoundError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import machine_line, running_stack, summary
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import (
    JobFailed,
    JobFailedData,
    JobProgressed,
    JobProgressedData,
    JobStarted,
    JobStartedData,
)
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import ensure_streams
from ttsjobs.observability.logging import configure_logging
from ttsjobs.settings import settings_with
from ttsjobs_gateway.publishers import job_created
from ttsjobs_projection.config import Settings as ProjectionSettings
from ttsjobs_projection.rebuild import rebuild
from ttsjobs_projection.subscriptions import JOB_EVENTS_SUBSCRIPTION

USER = "b0b00000-0000-4000-8000-00000000be0c"
REQUEST = MultiRoleRequest.model_validate(
    {
        "provider": "tone",
        "turns": [{"speaker": "A", "text": "one"}, {"speaker": "B", "text": "two"}],
        "voice_assignments": {"A": {"voice": "mid"}, "B": {"voice": "high"}},
    }
)


def job_events(job_id: str) -> list:
    now = datetime.now(UTC)
    common = {"subject": job_id, "time": now, "source": "bench/projection_rebuild"}
    return [
        job_created(REQUEST, user_id=USER, job_id=job_id),
        JobStarted(**common, data=JobStartedData(user_id=USER, worker="bench", attempt=1)),
        *(
            JobProgressed(
                **common,
                data=JobProgressedData(user_id=USER, done=i + 1, total=2, turn_index=i),
            )
            for i in range(2)
        ),
        JobFailed(**common, data=JobFailedData(user_id=USER, reason="bench")),
    ]


async def fill_stream(nats_url: str, jobs: int) -> int:
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await ensure_streams(js)
    publish = EventPublisher(js)
    for start in range(0, jobs, 250):
        ids = [str(uuid.uuid4()) for _ in range(start, min(jobs, start + 250))]
        # Each job's events in order; the jobs of a chunk side by side.
        await asyncio.gather(*(_publish_in_order(publish, job_events(i)) for i in ids))
    last = (await js.stream_info(subjects.STREAM)).state.last_seq
    await nc.close()
    return last


async def _publish_in_order(publish: EventPublisher, events: list) -> None:
    for event in events:
        await publish(event)


async def watch_catch_up(nats_url: str, db_url: str, last_seq: int) -> float:
    """Wait until the projection's position reaches ``last_seq``; returns when its consumer
    first delivered a message (perf_counter), i.e. when the service was up and reading."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    conn = await asyncpg.connect(db_url)
    first_delivery: float | None = None
    try:
        while True:
            if first_delivery is None:
                try:
                    info = await js.consumer_info(subjects.STREAM, JOB_EVENTS_SUBSCRIPTION.durable)
                    if info.delivered.stream_seq:
                        first_delivery = time.perf_counter()
                except NotFoundError:
                    pass  # not created yet: the service is starting
            seq = (
                await conn.fetchval(
                    "SELECT stream_seq FROM projection_positions WHERE consumer = 'projection'"
                )
                if await conn.fetchval("SELECT to_regclass('projection_positions')")
                else None
            )
            if seq is not None and seq >= last_seq:
                return first_delivery if first_delivery is not None else time.perf_counter()
            await asyncio.sleep(0.005 if first_delivery is None else 0.01)
    finally:
        await conn.close()
        await nc.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=4000)
    parser.add_argument("--no-rebuild", action="store_true", help="measure the catch-up only")
    args = parser.parse_args()
    configure_logging("bench", level="WARNING")  # the in-process rebuild logs every status change

    # Catch-up from the service's start, and from its first delivery (start-up excluded).
    catch_up, catch_up_reading, rebuilt = [], [], []
    for run in range(args.runs):
        with running_stack(services=False) as running:
            stack = running.stack
            last_seq = asyncio.run(fill_stream(stack.env["TTSJOBS_NATS_URL"], args.jobs))
            t0 = time.perf_counter()
            stack.start_service("projection")
            env = stack.env
            reading = asyncio.run(
                watch_catch_up(env["TTSJOBS_NATS_URL"], env["TTSJOBS_DATABASE_URL"], last_seq)
            )
            t1 = time.perf_counter()
            catch_up.append(last_seq / (t1 - t0))
            catch_up_reading.append(last_seq / (t1 - reading))
            line = (f"run {run + 1}: {last_seq} events; catch-up {catch_up[-1]:.0f}/s "
                    f"({catch_up_reading[-1]:.0f}/s after a start-up of "
                    f"{reading - t0:.2f} s)")  # fmt: skip
            if not args.no_rebuild:
                settings = ProjectionSettings(**_projection_env(settings_with(stack.env)))
                t0 = time.perf_counter()
                report = asyncio.run(rebuild(settings))
                rebuilt.append(report.events_replayed / (time.perf_counter() - t0))
                line += f", rebuild {rebuilt[-1]:.0f}/s"
            print(line, flush=True)

    print(f"\n{machine_line(args.runs)} {args.jobs * 5} job events per run.\n")
    print("| measure | events/s | target |")
    print("| --- | --- | --- |")
    met = "met" if statistics.median(catch_up_reading) >= 10_000 else "not met"
    print(f"| projection catching up on a backlog, start-up excluded | "
          f"{summary(catch_up_reading, digits=0)} | ≥ 10,000 — {met} |")  # fmt: skip
    print(f"| the same, the service's start-up included | {summary(catch_up, digits=0)} | — |")
    if not rebuilt:
        return
    met = "met" if statistics.median(rebuilt) >= 20_000 else "not met"
    print(f"| `ttsjobs projection rebuild` | {summary(rebuilt, digits=0)} | ≥ 20,000 — {met} |")


def _projection_env(common) -> dict:
    return {
        "nats_url": common.nats_url,
        "database_url": common.database_url,
        "s3_endpoint": common.s3_endpoint,
        "s3_access_key": common.s3_access_key,
        "s3_secret_key": common.s3_secret_key,
    }


if __name__ == "__main__":
    main()
