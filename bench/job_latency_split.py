"""Benchmark: where one tone job's latency goes, by the times its own events carry.

    .venv/bin/python bench/job_latency_split.py [--jobs 60]

Starts the stack as bench/pipeline_vs_celery.py does (tone, 8 slots) and submits ``--jobs``
two-turn jobs one at a time, each polled through GET every 5 ms until it reads completed, as
the pipeline benchmark's latency runs do. The first 10 warm up. For each job: POST, POST to its
JobCreated's time, created to started, started to completed (the events' times), and completed
to the GET that first shows it. Medians in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import SUBMIT, running_stack, tone_job, tone_stack

WARM_UP = 10
STEPS = ("total", "POST", "POST to created", "created to started", "started to completed",
         "completed to seen")  # fmt: skip


def _at(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


async def measure(client: httpx.AsyncClient, jobs: int) -> dict[str, list[float]]:
    steps: dict[str, list[float]] = {step: [] for step in STEPS}
    for i in range(jobs):
        t0 = time.time()
        job_id = (await client.post(SUBMIT, json=tone_job(i))).json()["id"]
        t1 = time.time()
        while True:
            job = (await client.get(f"/api/v1/jobs/{job_id}")).json()
            if job["status"] == "completed":
                break
            await asyncio.sleep(0.005)
        seen = time.time()
        if i < WARM_UP:
            continue
        created, started, done = (_at(job[k]) for k in ("created_at", "started_at", "completed_at"))
        for step, ms in zip(STEPS, (seen - t0, t1 - t0, created - t0, started - created,
                                    done - started, seen - done), strict=True):  # fmt: skip
            steps[step].append(ms * 1000)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=60)
    args = parser.parse_args()
    with running_stack(tone_stack()) as running:

        async def run() -> dict[str, list[float]]:
            async with httpx.AsyncClient(
                base_url=running.url, headers=running.headers, timeout=30
            ) as client:
                return await measure(client, args.jobs + WARM_UP)

        steps = asyncio.run(run())
    print(f"| step | ms, median of {args.jobs} jobs | min | max |")
    print("| --- | --- | --- | --- |")
    for step, values in steps.items():
        print(f"| {step} | {statistics.median(values):.1f} | {min(values):.1f} | "
              f"{max(values):.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
