"""Benchmark: reads through the gateway.

    .venv/bin/python bench/reads.py [--runs 3] [--seconds 5]

- GET one job: requests/s through the gateway against a bare FastAPI endpoint that runs the same
  SELECT on the same table with asyncpg and returns the row as JSON (no auth, no problem
  handling, no metrics or tracing). Both under uvicorn, loaded by the same client for
  ``--seconds``: ``wrk`` with 2 threads and 16 keep-alive connections when it is installed
  (``apt-get install wrk``), otherwise 16 connections from one httpx process.
- List jobs: p99 of the first page (20 jobs) with 10k and then 1M rows in tts_jobs, all of the
  same user, 300 requests one after another each time.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, SUBMIT, machine_line, percentile, running_stack, summary
from ttsjobs_cli.embedded.processes import free_port, spawn, stop, wait_until

BARE_APP = """
import os, asyncpg
from fastapi import FastAPI
from ttsjobs.readmodel.rows import COLUMNS
app = FastAPI()
SELECT = f"SELECT {', '.join(COLUMNS)} FROM tts_jobs WHERE id = $1 AND user_id = $2"
@app.on_event("startup")
async def start():
    app.state.pool = await asyncpg.create_pool(os.environ["BARE_DATABASE_URL"], max_size=10)
@app.get("/jobs/{job_id}/{user_id}")
async def job(job_id: str, user_id: str):
    row = await app.state.pool.fetchrow(SELECT, job_id, user_id)
    return {k: (v if isinstance(v, (int, float, type(None))) else str(v)) for k, v in row.items()}
"""


async def requests_per_s(url: str, headers: dict, seconds: float) -> float:
    """With ``wrk`` (Debian's package) when it is installed: one httpx process tops out near
    the servers' own rate, so it measured itself as much as them."""
    if shutil.which("wrk"):
        return _wrk(url, headers, seconds)
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:
        done = 0
        deadline = time.perf_counter() + seconds

        async def loop() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                response = await client.get(url)
                assert response.status_code == 200, response.text
                done += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(16)))
        return done / (time.perf_counter() - t0)


def _cpu_s(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def loaded(url: str, headers: dict, seconds: float, *, pid: int) -> tuple[float, float]:
    """Requests/s, and the server process's CPU milliseconds per request meanwhile. On a shared
    machine the rate moves with the neighbours' load; the CPU a request costs, much less."""
    cpu, start = _cpu_s(pid), time.perf_counter()
    rate = await requests_per_s(url, headers, seconds)
    served = rate * (time.perf_counter() - start)
    return rate, 1000 * (_cpu_s(pid) - cpu) / served


def _wrk(url: str, headers: dict, seconds: float) -> float:
    args = ["wrk", "-t", "2", "-c", "16", "-d", f"{seconds:g}s", url]
    for name, value in headers.items():
        args[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk saw errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


async def list_p99(base: str, headers: dict, requests: int = 300) -> float:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        seconds = []
        for _ in range(requests):
            t0 = time.perf_counter()
            response = await client.get("/api/v1/jobs", params={"limit": 20})
            seconds.append(time.perf_counter() - t0)
            assert response.status_code == 200 and len(response.json()["items"]) == 20
        return percentile(seconds, 99) * 1000


async def fill(db_url: str, template_id: str, total: int) -> None:
    """Copies of one real row, with new ids and older creation times, up to ``total`` rows."""
    conn = await asyncpg.connect(db_url)
    try:
        columns = [
            r["column_name"]
            for r in await conn.fetch(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'tts_jobs' AND table_schema = 'public' "
                "ORDER BY ordinal_position"
            )
        ]
        have = await conn.fetchval("SELECT count(*) FROM tts_jobs")
        chosen = {"id": "gen_random_uuid()", "created_at": "created_at - g * interval '1 second'"}
        select = ", ".join(chosen.get(c, c) for c in columns)
        await conn.execute(
            f"INSERT INTO tts_jobs ({', '.join(columns)}) SELECT {select} FROM tts_jobs, "
            f"generate_series(1, {total - have}) AS g WHERE id = $1",
            template_id,
        )
        await conn.execute("ANALYZE tts_jobs")
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()

    with running_stack({"TTSJOBS_PROVIDERS": '["tone"]'}) as running:
        stack = running.stack
        job = httpx.post(
            f"{running.url}{SUBMIT}",
            headers=running.headers,
            json={
                "provider": "tone",
                "turns": [{"speaker": "A", "text": "One line to read back."}],
                "voice_assignments": {"A": {"voice": "mid"}},
            },
        ).json()
        job_url = f"{running.url}/api/v1/jobs/{job['id']}"

        def completed_in_table() -> bool:
            return httpx.get(job_url, headers=running.headers).json()["status"] == "completed"

        wait_until(completed_in_table, timeout_s=60, what="the job completed")
        db_url = stack.env["TTSJOBS_DATABASE_URL"]
        bare_port = free_port()
        (stack.data_dir / "bare_app.py").write_text(BARE_APP)
        bare = spawn(
            [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(bare_port),
             "--log-level", "warning", "--app-dir", str(stack.data_dir)],
            log_path=stack.data_dir / "logs" / "bare.log",
            env={"BARE_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        user_id = asyncio.run(_owner(db_url, job["id"]))
        bare_url = f"http://127.0.0.1:{bare_port}/jobs/{job['id']}/{user_id}"
        try:
            wait_until(lambda: _answers(bare_url), timeout_s=30, what="the bare endpoint")
            ours, theirs, our_cpu, their_cpu = [], [], [], []
            gateway_pid = stack.services["gateway"].pid
            for _ in range(args.runs):
                rate, cpu = asyncio.run(loaded(bare_url, {}, args.seconds, pid=bare.pid))
                theirs.append(rate)
                their_cpu.append(cpu)
                rate, cpu = asyncio.run(
                    loaded(job_url, running.headers, args.seconds, pid=gateway_pid)
                )
                ours.append(rate)
                our_cpu.append(cpu)
                print(f"GET job: bare {theirs[-1]:.0f}/s {their_cpu[-1]:.2f} ms CPU/request, "
                      f"gateway {ours[-1]:.0f}/s {our_cpu[-1]:.2f} ms", flush=True)  # fmt: skip
        finally:
            stop(bare)
        lists = {}
        for total in (10_000, 1_000_000):
            asyncio.run(fill(db_url, job["id"], total))
            lists[total] = [
                asyncio.run(list_p99(running.url, running.headers)) for _ in range(args.runs)
            ]
            print(f"list p99 at {total} rows: {lists[total]}", flush=True)

    ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
    # As a rate: the bare app's CPU per request over the gateway's.
    cpu_ratio = statistics.median(b / a for a, b in zip(our_cpu, their_cpu, strict=True))
    growth = statistics.median(lists[1_000_000]) / statistics.median(lists[10_000])
    print(f"\n{machine_line(args.runs)}\n")
    print("| measure | baseline | ttsjobs | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| GET job, req/s | bare FastAPI, same SELECT: {summary(theirs, digits=0)} | "
          f"{summary(ours, digits=0)} | **{ratio:.2f}×** | ≥ 0.8× |")  # fmt: skip
    print(f"| GET job, CPU ms per request (as a rate) | bare: {summary(their_cpu)} | "
          f"{summary(our_cpu)} | **{cpu_ratio:.2f}×** | |")  # fmt: skip
    print(f"| list jobs p99, ms | 10k rows: {summary(lists[10_000])} | 1M rows: "
          f"{summary(lists[1_000_000])} | **{growth:.2f}×** | ≤ 1.5× |")  # fmt: skip


async def _owner(db_url: str, job_id: str) -> str:
    conn = await asyncpg.connect(db_url)
    try:
        return str(await conn.fetchval("SELECT user_id FROM tts_jobs WHERE id = $1", job_id))
    finally:
        await conn.close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    main()
