"""Benchmark: many piper jobs at once, in audio seconds produced per wall second, against the
best the piper engine does on this machine without the job system.

    .venv/bin/python bench/piper_concurrency.py [--runs 3] [--jobs 8] [--turns 10]

- Engine best: the same turns synthesized with no job system, two ways, and the faster counts:
  one piper session using every core, turn after turn; and the engine pool synthesis uses (one
  single-threaded session per core, ``ProviderEngines``), all turns at once.
- ttsjobs: ``--jobs`` dialogue jobs of ``--turns`` turns submitted at once to the running
  stack, from the first POST until every job reads completed through GET (polled every 100 ms).
  Audio seconds are the jobs' ``duration_ms``.

Every run uses new sentences, so the segment cache never answers a turn.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dialogue_job import LINES
from bench.harness import SUBMIT, machine_line, running_stack, summary
from ttsjobs_synthesis.engines import ProviderEngines
from ttsjobs_synthesis.providers.piper import PiperProvider
from ttsjobs_synthesis.providers.registry import entry

VOICE = "en_US-joe-medium"


def turns_of(run: int, job: int, turns: int) -> list[str]:
    return [
        f"{LINES[(job + i) % len(LINES)]} Run {run}, job {job}, line {i}." for i in range(turns)
    ]


def one_session(texts: list[str]) -> float:
    """Audio seconds per wall second: one session with every core, one turn after another."""
    provider = PiperProvider(threads=os.cpu_count())
    provider.warm_up()
    t0 = time.perf_counter()
    audio_ms = sum(provider.synthesize(t, VOICE, speed=1.0).duration_ms for t in texts)
    return audio_ms / 1000 / (time.perf_counter() - t0)


async def engine_pool(texts: list[str]) -> float:
    """Audio seconds per wall second: synthesis' engine pool, every turn at once."""
    cores = os.cpu_count() or 1
    engines = ProviderEngines({"piper": entry("piper").engine(processes=cores)}, turn_timeout_s=600)
    try:
        await engines.start()
        t0 = time.perf_counter()
        speeches = await asyncio.gather(
            *(engines.synthesize("piper", t, VOICE, speed=1.0, pitch=1.0) for t in texts)
        )
        elapsed = time.perf_counter() - t0
    finally:
        engines.close()
    return sum(s.duration_ms for s in speeches) / 1000 / elapsed


async def through_ttsjobs(running, run: int, jobs: int, turns: int) -> float:
    """Audio seconds per wall second: the jobs submitted at once, until all are completed."""
    async with httpx.AsyncClient(base_url=running.url, headers=running.headers, timeout=60) as api:
        t0 = time.perf_counter()
        ids = []
        for job in range(jobs):
            body = {
                "provider": "piper",
                "title": f"concurrency run {run} job {job}",
                "turns": [
                    {"speaker": "A" if i % 2 == 0 else "B", "text": text}
                    for i, text in enumerate(turns_of(run, job, turns))
                ],
                "voice_assignments": {"A": {"voice": VOICE}, "B": {"voice": VOICE}},
            }
            response = await api.post(SUBMIT, json=body)
            if response.status_code != 202:
                raise RuntimeError(response.text)
            ids.append(response.json()["id"])
        audio_ms = 0
        pending = set(ids)
        while pending:
            await asyncio.sleep(0.1)
            for job_id in list(pending):
                current = (await api.get(f"/api/v1/jobs/{job_id}")).json()
                if current["status"] in ("failed", "cancelled"):
                    raise RuntimeError(f"job {job_id} ended {current['status']}")
                if current["status"] == "completed":
                    pending.discard(job_id)
                    audio_ms += current["result"]["duration_ms"]
        return audio_ms / 1000 / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--turns", type=int, default=10)
    args = parser.parse_args()

    best, session, pool, ours = [], [], [], []
    # Alone on the machine first: the engine's best, with no stack running beside it.
    for run in range(args.runs):
        texts = [t for job in range(args.jobs) for t in turns_of(-run - 1, job, args.turns)]
        session.append(one_session(texts))
        pool.append(asyncio.run(engine_pool(texts)))
        best.append(max(session[-1], pool[-1]))
        print(f"run {run + 1} engine: one session {session[-1]:.1f}, pool {pool[-1]:.1f}")
    env = {"TTSJOBS_PROVIDERS": '["piper"]'}  # otherwise the defaults: 2 job slots
    with running_stack(env) as running:
        asyncio.run(through_ttsjobs(running, 0, 2, 2))  # warm-up
        for run in range(args.runs):
            ours.append(asyncio.run(through_ttsjobs(running, run + 1, args.jobs, args.turns)))
            print(f"run {run + 1} ttsjobs: {ours[-1]:.1f} audio s per s", flush=True)

    ratios = [o / statistics.median(best) for o in ours]
    print(f"\n{machine_line(args.runs)} {args.jobs} jobs of {args.turns} turns at once.\n")
    print("| measure | audio seconds per wall second |")
    print("| --- | --- |")
    print(f"| engine, one session on every core | {summary(session, digits=1)} |")
    print(f"| engine, pool of one session per core | {summary(pool, digits=1)} |")
    print(f"| ttsjobs, {args.jobs} jobs at once | {summary(ours, digits=1)} |")
    print(f"| **ttsjobs / engine best** | **{statistics.median(ratios):.2f}×** (target ≥ 0.9×) |")


if __name__ == "__main__":
    main()
