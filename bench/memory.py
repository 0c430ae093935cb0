"""Benchmark: resident memory of each service at rest and under a burst of jobs, and how far the
projection lags behind the stream during that burst.

    .venv/bin/python bench/memory.py [--runs 3] [--burst 2000]

The stack runs with piper, espeak and tone. At rest: after one piper and one espeak job, so
every engine process has its voices loaded. Under the burst: ``--burst`` tone jobs submitted at
once (32 clients), RSS sampled every 0.25 s until all are completed; the peak is reported.
RSS counts shared pages (libraries, onnxruntime) in every process that maps them, so a sum over
processes overstates what the machine gives up; it is what the target names. Synthesis is shown
as its main process and each engine process separately: the target is per process.

Projection lag: every 0.25 s the stream's last sequence and the projection's position are read;
an event's lag is the time from the sample where it was last in the stream until the first
sample where the projection's position had passed it (so 0.25 s is the resolution).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import asyncpg
import httpx
import nats
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import SUBMIT, machine_line, running_stack, summary, tone_job
from ttsjobs.contracts import subjects

PIPER = {
    "provider": "piper",
    "turns": [{"speaker": "A", "text": "Memory is measured once the voices are loaded."}],
    "voice_assignments": {"A": {"voice": "en_US-joe-medium"}},
}
ESPEAK = {
    "provider": "espeak",
    "turns": [{"speaker": "A", "text": "And espeak as well."}],
    "voice_assignments": {"A": {"voice": "en-us"}},
}


def sizes_mb(running) -> dict[str, float]:
    """RSS of each process: a service's own, its engine processes as ``synthesis engine N``
    (largest first), and the embedded servers."""
    sizes: dict[str, float] = {}
    for name, proc in running.processes().items():
        try:
            sizes[name] = proc.memory_info().rss / 2**20
            children = sorted(
                (c.memory_info().rss / 2**20 for c in proc.children(recursive=True)), reverse=True
            )
        except psutil.NoSuchProcess:
            continue
        if name.startswith("synthesis"):
            for i, rss in enumerate(children, start=1):
                sizes[f"{name} engine {i}"] = rss
        elif name == "postgresql":
            sizes[name] += sum(children)  # its backends: one server
    return sizes


async def finish(api: httpx.AsyncClient, body: dict) -> None:
    job = (await api.post(SUBMIT, json=body)).json()
    while True:
        status = (await api.get(f"/api/v1/jobs/{job['id']}")).json()["status"]
        if status == "completed":
            return
        if status in ("failed", "cancelled"):
            raise RuntimeError(f"{body['provider']} job ended {status}")
        await asyncio.sleep(0.1)


async def burst(api: httpx.AsyncClient, jobs: int) -> None:
    gate = asyncio.Semaphore(32)

    async def submit(i: int) -> str:
        async with gate:
            return (await api.post(SUBMIT, json=tone_job(i))).json()["id"]

    pending = set(await asyncio.gather(*(submit(i) for i in range(jobs))))
    while pending:
        await asyncio.sleep(0.5)
        for job_id in list(pending)[:64]:
            if (await api.get(f"/api/v1/jobs/{job_id}")).json()["status"] == "completed":
                pending.discard(job_id)


class LagSampler:
    """The stream's end and the projection's position, read every 0.25 s during the burst."""

    def __init__(self, nats_url: str, db_url: str) -> None:
        self.nats_url, self.db_url = nats_url, db_url
        self.samples: list[tuple[float, int, int]] = []  # (time, stream end, projected)
        self.stop = asyncio.Event()

    async def run(self) -> None:
        nc = await nats.connect(self.nats_url)
        db = await asyncpg.connect(self.db_url)
        try:
            while not self.stop.is_set():
                end = (await nc.jetstream().stream_info(subjects.STREAM)).state.last_seq
                projected = await db.fetchval(
                    "SELECT stream_seq FROM projection_positions WHERE consumer = 'projection'"
                )
                self.samples.append((time.perf_counter(), end, projected or 0))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), 0.25)
        finally:
            await db.close()
            await nc.close()

    async def caught_up(self, timeout_s: float = 120) -> None:
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            if self.samples and self.samples[-1][2] >= self.samples[-1][1]:
                return
            await asyncio.sleep(0.25)
        raise RuntimeError("the projection did not catch up with the stream")

    def lags_s(self) -> list[float]:
        lags = []
        for t, end, _ in self.samples:
            caught = next((u for u, _, done in self.samples if u >= t and done >= end), None)
            if caught is not None:
                lags.append(caught - t)
        return lags

    def most_behind(self) -> int:
        return max(end - done for _, end, done in self.samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--burst", type=int, default=2000)
    args = parser.parse_args()

    at_rest: dict[str, list[float]] = defaultdict(list)
    peak: dict[str, list[float]] = defaultdict(list)
    lag_p50: list[float] = []
    lag_max: list[float] = []
    behind: list[int] = []
    env = {"TTSJOBS_PROVIDERS": '["piper","espeak","tone"]'}
    for run in range(args.runs):  # a fresh stack per run: rest means before any burst
        with running_stack(env) as running:

            async def rest_then_burst() -> dict[str, float]:
                # Idle connections dropped before uvicorn's 5 s keep-alive ends (else a reused
                # one the server has just closed fails the request).
                limits = httpx.Limits(keepalive_expiry=4)
                async with httpx.AsyncClient(
                    base_url=running.url, headers=running.headers, timeout=60, limits=limits
                ) as api:
                    await finish(api, PIPER)
                    await finish(api, ESPEAK)
                    for name, mb in sizes_mb(running).items():
                        at_rest[name].append(mb)
                    highest: dict[str, float] = defaultdict(float)
                    done = threading.Event()

                    def sample() -> None:
                        while not done.wait(0.25):
                            for name, mb in sizes_mb(running).items():
                                highest[name] = max(highest[name], mb)

                    sampler = threading.Thread(target=sample)
                    sampler.start()
                    env = running.stack.env
                    lag = LagSampler(env["TTSJOBS_NATS_URL"], env["TTSJOBS_DATABASE_URL"])
                    lagging = asyncio.create_task(lag.run())
                    try:
                        await burst(api, args.burst)
                        await lag.caught_up()  # every sampled event counted, none left out
                    finally:
                        done.set()
                        sampler.join()
                        lag.stop.set()
                        await lagging
                    lags = lag.lags_s()
                    lag_p50.append(statistics.median(lags))
                    lag_max.append(max(lags))
                    behind.append(lag.most_behind())
                    return highest

            for name, mb in asyncio.run(rest_then_burst()).items():
                peak[name].append(mb)
        print(f"run {run + 1}: " + ", ".join(f"{n} {max(v):.0f}" for n, v in peak.items()))
        print(f"run {run + 1}: projection lag p50 {lag_p50[-1]:.2f} s, max {lag_max[-1]:.2f} s,"
              f" at most {behind[-1]} events behind", flush=True)  # fmt: skip

    print(f"\n{machine_line(args.runs)} Burst: {args.burst} two-turn tone jobs.\n")
    print("| process | RSS at rest, MB | peak RSS under the burst, MB | target |")
    print("| --- | --- | --- | --- |")
    for name in sorted(at_rest, key=lambda n: -statistics.median(at_rest[n])):
        target = "≤ 400 MB" if name.startswith("synthesis") else "—"
        under = summary(peak[name], digits=0) if name in peak else "—"
        print(f"| {name} | {summary(at_rest[name], digits=0)} | {under} | {target} |")
    print("\n| projection under the burst | value |")
    print("| --- | --- |")
    print(f"| lag, median, s | {summary(lag_p50)} |")
    print(f"| lag, max, s | {summary(lag_max)} |")
    print(f"| events behind the stream, max | {summary(behind, digits=0)} |")


if __name__ == "__main__":
    main()
