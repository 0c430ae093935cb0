"""Benchmark: what mastering costs a long job: the assembly's writes (each turn levelled,
metered and written) and its finish (for a mastered job: the mastering pass over the float mix,
then encoding), for the same turns with mastering none, podcast and audiobook; each in a
process of its own, so that its peak memory is its own. No servers.

    .venv/bin/python bench/mastering_cost.py [--minutes 180] [--format mp3]

The turns are 20 s of speech-like sound (tests/support/loudness.py) at 24 kHz, as Kokoro's,
with 300 ms pauses; the meter alone is timed too.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.loudness import speechlike

from ttsjobs.contracts.job_request import Mastering, OutputFormat
from ttsjobs_synthesis.assembly import AssemblyPlan, JobAssembly, TurnPlan
from ttsjobs_synthesis.mastering import LoudnessMeter

RATE = 24000
TURN_S = 20


def _turns(minutes: float) -> list:
    count = round(minutes * 60 / (TURN_S + 0.3))
    return [speechlike(TURN_S, RATE, seed=i % 6, level=[0.9, 0.3][i % 2]) for i in range(count)]


async def _job(minutes: float, fmt: OutputFormat, preset: Mastering) -> dict[str, float]:
    turns = _turns(minutes)
    plan = AssemblyPlan(
        [TurnPlan(pause_after_ms=300)] * len(turns), fmt, None, 4 * 3600, mastering=preset
    )
    assembly = JobAssembly(plan)
    try:
        began = time.perf_counter()
        for index, speech in enumerate(turns):
            await assembly.add(index, speech)
        written = time.perf_counter()
        stored = await assembly.finish()
        finished = time.perf_counter()
    finally:
        assembly.close()
    assert assembly.loudness is not None
    return {
        "audio_min": assembly.duration_ms / 60_000,
        "writes_s": written - began,
        "finish_s": finished - written,
        "size_mb": stored.size_bytes / 2**20,
        "lufs": assembly.loudness.integrated_lufs,
        "dbtp": assembly.loudness.true_peak_dbtp,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run(args: tuple[float, str, str], out: multiprocessing.Queue) -> None:
    minutes, fmt, preset = args
    out.put(asyncio.run(_job(minutes, OutputFormat(fmt), Mastering(preset))))


def _meter_alone(minutes: float) -> float:
    piece = speechlike(60, RATE, seed=1, level=0.8).samples.astype(np.float32) / 32768
    meter = LoudnessMeter(RATE)
    began = time.perf_counter()
    for _ in range(round(minutes)):
        meter.add(piece)
    meter.result()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=180)
    parser.add_argument("--format", default="mp3")
    args = parser.parse_args()
    print(f"{args.minutes:g} min of 24 kHz turns, {args.format}")
    print(
        "| mastering | writes s | finish s | finish s per audio hour | peak RSS MB | LUFS | dBTP |"
    )
    print("|---|---|---|---|---|---|---|")
    for preset in ("none", "podcast", "audiobook"):
        queue: multiprocessing.Queue = multiprocessing.Queue()
        child = multiprocessing.Process(
            target=_run, args=((args.minutes, args.format, preset), queue)
        )
        child.start()
        row = queue.get()
        child.join()
        per_hour = row["finish_s"] / (row["audio_min"] / 60)
        print(
            f"| {preset} | {row['writes_s']:.1f} | {row['finish_s']:.1f} | {per_hour:.1f} "
            f"| {row['peak_rss_mb']:.0f} | {row['lufs']:.2f} | {row['dbtp']:.2f} |"
        )
    print(f"meter alone: {_meter_alone(args.minutes):.1f} s for {args.minutes:g} min")


if __name__ == "__main__":
    main()
