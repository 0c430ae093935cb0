"""Benchmark: what handing one turn to an engine process costs, with next to no synthesis.

    .venv/bin/python bench/engine_handoff.py [--runs 3] [--turns 200]

One ``tone`` engine process (``ProviderEngines``, as synthesis runs it) gets a two-turn job's
turns one after another, ``--turns`` times: once right after the previous job (the process and
the event loop still awake), and once after a 30 ms pause (both asleep, as between the jobs of
a quiet worker). Reported: the median time from handing a turn over to having its speech back,
in ms. The tone itself and its loudness take about 0.3 ms of that.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import machine_line, summary
from ttsjobs_synthesis.engines import ProviderEngines
from ttsjobs_synthesis.providers.registry import entry

FIRST = "First line of job 12, 3f2b8c1e-1234-4bcd-9f00-0123456789ab."
SECOND = "Second line of job 12."
PAUSE_S = 0.03


async def one_run(turns: int) -> tuple[float, float]:
    engines = ProviderEngines({"tone": entry("tone").engine(processes=1)}, turn_timeout_s=30)
    try:
        await engines.start()
        awake, after_pause = [], []
        for i in range(turns):
            await asyncio.sleep(PAUSE_S)
            t0 = time.perf_counter()
            await engines.synthesize("tone", FIRST, "mid", speed=1.0, pitch=1.0)
            t1 = time.perf_counter()
            await engines.synthesize("tone", f"{SECOND} {i}", "high", speed=1.0, pitch=1.0)
            t2 = time.perf_counter()
            after_pause.append((t1 - t0) * 1000)
            awake.append((t2 - t1) * 1000)
        return statistics.median(awake), statistics.median(after_pause)
    finally:
        engines.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    awake, after_pause = [], []
    for run in range(args.runs):
        a, p = asyncio.run(one_run(args.turns))
        awake.append(a)
        after_pause.append(p)
        print(f"run {run + 1}: awake {a:.2f} ms, after {PAUSE_S * 1000:.0f} ms idle {p:.2f} ms")
    print(f"\n{machine_line(args.runs)} {args.turns} turns of each kind per run.\n")
    print("| a tone turn handed to its engine process | ms, median |")
    print("| --- | --- |")
    print(f"| right after the previous turn | {summary(awake)} |")
    print(f"| after {PAUSE_S * 1000:.0f} ms idle | {summary(after_pause)} |")


if __name__ == "__main__":
    main()
