"""Benchmark: where one tone job's latency goes, by the times its own record carries, in ttsjobs
and in the Celery + Redis equivalent side by side.

    .venv/bin/python bench/job_latency_split.py [--jobs 60]

Starts both systems as bench/pipeline_vs_celery.py does (tone, 8 slots) and submits ``--jobs``
two-turn jobs to each, one at a time, alternating between the two so that both see the same
machine. Each job is polled through GET every 5 ms until it reads completed, as the pipeline
benchmark's latency runs do; the first 10 of each warm up. For each job: the POST, POST to the
job's created time, created to started, started to completed, and completed to the GET that
first shows it. ttsjobs' times are its events' times; Celery's are its row's (PostgreSQL's
``now()`` in the API's INSERT and the worker's two UPDATEs). Medians in ms.
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
from bench.pipeline_vs_celery import Baseline

WARM_UP = 10
STEPS = ("total", "POST", "POST to created", "created to started", "started to completed",
         "completed to seen")  # fmt: skip


def _at(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


async def one_job(client: httpx.AsyncClient, submit: str, job_path: str, i: int) -> list[float]:
    """The job's steps in ms, in the order of ``STEPS``."""
    t0 = time.time()
    job_id = (await client.post(submit, json=tone_job(i))).json()["id"]
    t1 = time.time()
    while True:
        job = (await client.get(job_path.format(id=job_id))).json()
        if job["status"] == "completed":
            break
        await asyncio.sleep(0.005)
    seen = time.time()
    created, started, done = (_at(job[k]) for k in ("created_at", "started_at", "completed_at"))
    return [ms * 1000 for ms in (seen - t0, t1 - t0, created - t0, started - created,
                                 done - started, seen - done)]  # fmt: skip


async def measure(systems: dict[str, tuple[httpx.AsyncClient, str, str]], jobs: int):
    steps = {name: {step: [] for step in STEPS} for name in systems}
    for i in range(jobs + WARM_UP):
        for name, (client, submit, job_path) in systems.items():
            measured = await one_job(client, submit, job_path, i)
            if i >= WARM_UP:
                for step, ms in zip(STEPS, measured, strict=True):
                    steps[name][step].append(ms)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=60)
    args = parser.parse_args()
    with running_stack(tone_stack()) as running:
        baseline = Baseline(running.stack, 8)
        try:

            async def run():
                async with (
                    httpx.AsyncClient(base_url=running.url, headers=running.headers,
                                      timeout=30) as ours,
                    httpx.AsyncClient(base_url=baseline.url, timeout=30) as theirs,
                ):  # fmt: skip
                    return await measure(
                        {
                            "ttsjobs": (ours, SUBMIT, "/api/v1/jobs/{id}"),
                            "celery": (theirs, "/jobs", "/jobs/{id}"),
                        },
                        args.jobs,
                    )

            steps = asyncio.run(run())
        finally:
            baseline.stop()
    ours, theirs = steps["ttsjobs"], steps["celery"]
    print(f"| step | ttsjobs, ms, median of {args.jobs} jobs | Celery + Redis | difference |")
    print("| --- | --- | --- | --- |")
    for step in STEPS:
        a, b = statistics.median(ours[step]), statistics.median(theirs[step])
        print(f"| {step} | {a:.1f} | {b:.1f} | {a - b:+.1f} |")


if __name__ == "__main__":
    main()
