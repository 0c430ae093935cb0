"""Benchmark: how long one user's job waits behind another user's backlog.

    .venv/bin/python bench/fair_backlog.py [--backlogs 50 80 500] [--fair-window N]

One stack with the defaults (one synthesis process, 2 slots, 3 jobs per user, a prefetch of
32, a fair window of 4096) and the tone provider. For each backlog, user A submits that many
12-turn tone jobs (a few hundred ms each) as fast as the gateway takes them, then user B
submits one. Measured from the stream: how many of A's jobs started after B's JobCreated and
before B's JobStarted ("passed"), and B's wait (its JobStarted's time less its JobCreated's).
A's remaining jobs are then cancelled before the next backlog. ``--fair-window 32`` looks no
further than the prefetch, as the runner did before issue 29.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from pathlib import Path

import httpx
import nats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import SUBMIT, machine_line, running_stack
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCreated, JobStarted, parse_event
from ttsjobs.messaging.batch_get import BatchGet
from ttsjobs.settings import settings_with
from ttsjobs_cli.accounts import open_accounts


def slow_tone_job(tag: str) -> dict:
    lines = [{"speaker": "A", "text": f"{tag} turn {i} {'x' * 400}"} for i in range(12)]
    return {"provider": "tone", "title": tag, "turns": lines,
            "voice_assignments": {"A": {"voice": "mid"}}}  # fmt: skip


async def submit_all(client: httpx.AsyncClient, bodies: list[dict]) -> list[str]:
    gate = asyncio.Semaphore(16)

    async def one(body: dict) -> str:
        async with gate:
            response = await client.post(SUBMIT, json=body)
        response.raise_for_status()
        return response.json()["id"]

    return list(await asyncio.gather(*(one(b) for b in bodies)))


async def started_after(reader: BatchGet, seq: int) -> list[tuple[str, float]]:
    """(job, time) of each JobStarted after stream sequence ``seq``, in stream order."""
    found_all: list[tuple[str, float]] = []
    while True:
        found, more = await reader.read(subjects.every_job(JobStarted.kind), from_seq=seq + 1)
        for _, data in found:
            event = parse_event(data)
            found_all.append((event.subject, event.time.timestamp()))
        if not more or not found:
            return found_all
        seq = found[-1][0]


async def one_backlog(a: httpx.AsyncClient, b: httpx.AsyncClient, reader, size: int) -> dict:
    run = uuid.uuid4().hex[:6]
    backlog = set(await submit_all(a, [slow_tone_job(f"{run} {i}") for i in range(size)]))
    [single] = await submit_all(b, [slow_tone_job(f"{run} single")])
    [(seq, data)], _ = await reader.read(subjects.job_event(single, JobCreated.kind), from_seq=1)
    created_at = parse_event(data).time.timestamp()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        started = await started_after(reader, seq)
        jobs = [job for job, _ in started]
        if single in jobs:
            ahead = [job for job in jobs[: jobs.index(single)] if job in backlog]
            wait_s = started[jobs.index(single)][1] - created_at
            break
        await asyncio.sleep(0.05)
    else:
        raise RuntimeError("B's job never started")
    everything = {job for job, _ in await started_after(reader, 0)}
    after = {job for job, _ in await started_after(reader, seq)}  # read second: none missed
    waiting = size - len(backlog & (everything - after))
    await cancel(a, backlog)
    return {"backlog": size, "waiting": waiting, "passed": len(ahead), "wait_s": wait_s}


async def cancel(client: httpx.AsyncClient, jobs: set[str]) -> None:
    gate = asyncio.Semaphore(16)

    async def one(job: str) -> None:
        async with gate:
            await client.delete(f"/api/v1/jobs/{job}")

    await asyncio.gather(*(one(j) for j in jobs))
    for status in ("pending", "processing"):  # the next backlog starts on an idle worker
        for _ in range(3000):
            if not (await client.get("/api/v1/jobs", params={"status": status})).json()["items"]:
                break
            await asyncio.sleep(0.2)


async def measure(running, sizes: list[int]) -> list[dict]:
    async with open_accounts(settings_with(running.stack.env)) as accounts:
        second = (await accounts.create_user("bench-b", label="bench")).key.key
    nc = await nats.connect(running.stack.env["TTSJOBS_NATS_URL"])
    reader = BatchGet(nc.jetstream(), subjects.STREAM)
    try:
        async with (
            httpx.AsyncClient(base_url=running.url, headers=running.headers, timeout=60) as a,
            httpx.AsyncClient(base_url=running.url, timeout=60,
                              headers={"Authorization": f"Bearer {second}"}) as b,
        ):  # fmt: skip
            return [await one_backlog(a, b, reader, size) for size in sizes]
    finally:
        await nc.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backlogs", type=int, nargs="+", default=[50, 80, 500])
    parser.add_argument("--fair-window", type=int, default=None)
    args = parser.parse_args()
    env = {"TTSJOBS_PROVIDERS": '["tone"]'}
    if args.fair_window is not None:
        env["TTSJOBS_FAIR_WINDOW"] = str(args.fair_window)
    with running_stack(env) as running:
        rows = asyncio.run(measure(running, args.backlogs))
    print(machine_line(1))
    print(f"fair window: {args.fair_window or 'default'}")
    print("| A's backlog | still queued at B's submission | A's jobs started before B's"
          " | B's wait (s) |")  # fmt: skip
    print("| ---: | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['backlog']} | {row['waiting']} | {row['passed']} | {row['wait_s']:.2f} |")


if __name__ == "__main__":
    main()
