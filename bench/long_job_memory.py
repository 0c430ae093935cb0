"""Benchmark: resident memory of the synthesis processes against the length of a job's audio,
and at rest before and after each job.

    .venv/bin/python bench/long_job_memory.py [--minutes 10 30 60 120]

One stack with the tone provider, and one job per length, one after another: 48 kHz WAV, turns
of 8 s of tone (the tone provider's longest at speed 0.5) each followed by 4 s of silence, so a
2-hour job is 600 turns and a 660 MiB file. The stack's limits are raised so that such jobs are
accepted (turns, characters, duration). While a job runs, the RSS of the synthesis main process
and of its engine processes is sampled every 0.1 s; the table gives the peaks. At rest: the
median of ten samples over a second, just before the job is submitted, and again 3 s after it
completed.

For a figure from older code, run the same file with that code first on the path, e.g.
``git worktree add /tmp/wt-old 2969328`` and ``PYTHONPATH=/tmp/wt-old/libs:/tmp/wt-old/tools:``
``/tmp/wt-old/services/synthesis:/tmp/wt-old/services/gateway:/tmp/wt-old/services/projection:``
``/tmp/wt-old/services/notifier``; ``--label`` names the run in the output.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.jobs import long_tone_job

from bench.harness import SUBMIT, machine_line, running_stack

TURN_S, PAUSE_S = 8, 4
ENV = {
    "TTSJOBS_PROVIDERS": '["tone"]',
    "TTSJOBS_LIMITS__MAX_TURNS": "2000",
    "TTSJOBS_LIMITS__MAX_TOTAL_CHARS": "2000000",
    "TTSJOBS_LIMITS__MAX_AUDIO_SECONDS": "86400",
    "TTSJOBS_SEGMENT_MEMORY_MB": "0",  # tone keeps no segments anyway
}


def long_job(minutes: int) -> dict:
    turns = math.ceil(minutes * 60 / (TURN_S + PAUSE_S))
    return long_tone_job(turns, pause_ms=PAUSE_S * 1000, title=f"{minutes} minutes")


def synthesis_mb(main: psutil.Process) -> tuple[float, float]:
    """RSS of the synthesis main process, and of its largest engine process."""
    own = main.memory_info().rss / 2**20
    engines = [c.memory_info().rss / 2**20 for c in main.children(recursive=True)]
    return own, max(engines, default=0.0)


def at_rest(main: psutil.Process) -> tuple[float, float]:
    samples = []
    for _ in range(10):
        samples.append(synthesis_mb(main))
        time.sleep(0.1)
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


async def run_job(api: httpx.AsyncClient, main: psutil.Process, minutes: int) -> dict:
    before = await asyncio.to_thread(at_rest, main)
    peak = [0.0, 0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            own, engine = synthesis_mb(main)
            peak[0], peak[1] = max(peak[0], own), max(peak[1], engine)

    sampler = threading.Thread(target=sample)
    sampler.start()
    began = time.perf_counter()
    try:
        response = await api.post(SUBMIT, json=long_job(minutes))
        response.raise_for_status()
        job_id = response.json()["id"]
        while True:
            await asyncio.sleep(0.5)
            job = (await api.get(f"/api/v1/jobs/{job_id}")).json()
            if job["status"] in ("completed", "failed", "cancelled"):
                break
    finally:
        done.set()
        sampler.join()
    took_s = time.perf_counter() - began
    if job["status"] != "completed":
        raise RuntimeError(f"{minutes}-minute job ended {job['status']}: {job['error_message']}")
    await asyncio.sleep(3)
    after = await asyncio.to_thread(at_rest, main)
    result = job["result"]
    return {
        "minutes": minutes,
        "audio_min": result["duration_ms"] / 60_000,
        "size_mib": result["audio"]["size_bytes"] / 2**20,
        "took_s": took_s,
        "before": before[0],
        "peak": peak[0],
        "after": after[0],
        "engine_peak": peak[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 30, 60, 120])
    parser.add_argument("--label", default="this commit")
    args = parser.parse_args()
    rows = []
    with running_stack(ENV) as running:
        synthesis = psutil.Process(running.stack.services["synthesis"].pid)

        async def jobs() -> None:
            limits = httpx.Limits(keepalive_expiry=4)
            async with httpx.AsyncClient(
                base_url=running.url, headers=running.headers, timeout=120, limits=limits
            ) as api:
                for minutes in args.minutes:
                    rows.append(await run_job(api, synthesis, minutes))
                    r = rows[-1]
                    print(
                        f"{args.label}: {r['audio_min']:.0f} min ({r['size_mib']:.0f} MiB) in"
                        f" {r['took_s']:.0f} s: synthesis {r['before']:.0f} → peak"
                        f" {r['peak']:.0f} → {r['after']:.0f} MiB; engine peak"
                        f" {r['engine_peak']:.0f} MiB",
                        flush=True,
                    )

        asyncio.run(jobs())
    print()
    print(machine_line(1).replace("1 runs, median (± half the spread).", "One run each."))
    print()
    print(
        "| audio | WAV | job took | synthesis at rest before | peak | at rest after |"
        " largest engine process, peak |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['audio_min']:.0f} min | {r['size_mib']:.0f} MiB | {r['took_s']:.0f} s |"
            f" {r['before']:.0f} MiB | {r['peak']:.0f} MiB | {r['after']:.0f} MiB |"
            f" {r['engine_peak']:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
