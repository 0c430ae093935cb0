"""Benchmark: the cluster drills at full size, one row each for bench/README.md.

    .venv/bin/python bench/cluster_drills.py [--before 150] [--during 100] [--after 150]
        [--clients 8] [--pause 0.25] [--drill NAME ...]

One cluster stack (3 NATS nodes at R3, two gateways, two synthesis processes, one projection),
the drills of tests/support/drill_faults.py in turn on it, each under a steady burst of tone
jobs (every 40th a kokoro one) from ``--clients`` clients that retry with their
Idempotency-Key. Per drill: jobs sent, completed, duplicates, lost, the longest window in which
some client's POST kept failing, POST p99 (retries included), and the time from the fault until
jobs went through as fast as before it. The suite runs the same drills at a tenth of the size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import create_user
from tests.support.drill_faults import DRILLS, Size, cluster_stack, run_drill
from tests.support.drill_invariants import TABLE_HEAD

from bench.harness import machine_line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=int, default=150)
    parser.add_argument("--during", type=int, default=100)
    parser.add_argument("--after", type=int, default=150)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--pause", type=float, default=0.25)
    parser.add_argument("--drill", nargs="+", choices=list(DRILLS), default=list(DRILLS))
    args = parser.parse_args()
    size = Size(args.before, args.during, args.after, args.clients, args.pause)
    stack = cluster_stack(Path(tempfile.mkdtemp(prefix="ttsjobs-drills-")),
                          extra_env={"TTSJOBS_LOG_LEVEL": "WARNING"})  # fmt: skip
    stack.start_servers()
    rows = []
    try:
        stack.start_services()
        stack.wait_ready(timeout_s=300)
        fair_users = create_user(stack, "backlogged"), create_user(stack, "bystander")
        for name in args.drill:
            report, passed = asyncio.run(run_drill(stack, fair_users, name, size=size))
            print(report.row(), f"(backlog jobs before the bystander's: {passed})", flush=True)
            rows.append(report.row())
    finally:
        stack.stop()
        if not os.environ.get("TTSJOBS_BENCH_KEEP"):
            shutil.rmtree(stack.data_dir, ignore_errors=True)
    print(machine_line(1))
    print(
        f"{args.clients} clients, each a job every {args.pause}s; POSTs answered: "
        f"{args.before} before the fault, {args.during} during it, {args.after} after"
    )
    print(TABLE_HEAD)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
