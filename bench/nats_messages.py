"""Benchmark: the messages each service exchanges with nats-server per tone job.

    .venv/bin/python bench/nats_messages.py [--jobs 400]

Starts the stack as bench/pipeline_vs_celery.py does (tone, 8 slots), then runs its throughput
load (``--jobs`` jobs) and its latency load (40 jobs one at a time), and reads nats-server's
own counts (``/connz``) before and after each. A connection is put down to the service whose
process (or engine process) holds its local port. "To nats" counts publishes and requests,
"from nats" deliveries and answers, per job.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import urllib.request
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import RunningStack, running_stack, tone_stack
from bench.pipeline_vs_celery import System, latency, throughput

Counts = dict[str, tuple[int, int]]  # service -> (to nats, from nats)


def _connections(monitor_url: str) -> list[dict]:
    with urllib.request.urlopen(f"{monitor_url}/connz?limit=1000&subs=0", timeout=5) as answer:
        return json.loads(answer.read())["connections"]


def _by_service(running: RunningStack, monitor_url: str) -> Counts:
    ports: dict[int, str] = {}
    for name, proc in running.stack.services.items():
        parent = psutil.Process(proc.pid)
        for process in [parent, *parent.children(recursive=True)]:
            for connection in process.net_connections(kind="tcp"):
                if connection.laddr:
                    ports[connection.laddr.port] = name
    counts: dict[str, tuple[int, int]] = {}
    for connection in _connections(monitor_url):
        name = ports.get(connection["port"], f"other:{connection['port']}")
        sent, received = counts.get(name, (0, 0))
        counts[name] = (sent + connection["in_msgs"], received + connection["out_msgs"])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=400)
    args = parser.parse_args()
    with running_stack(tone_stack()) as running:
        nats = next(s for s in running.stack.servers if type(s).__name__.startswith("Nats"))

        async def counted(load: str, jobs: int) -> None:
            async with httpx.AsyncClient(
                base_url=running.url, headers=running.headers, timeout=60
            ) as client:
                system = System(
                    "ttsjobs", client, "/api/v1/jobs/tts/multi-role", "/api/v1/jobs/{id}"
                )
                await throughput(system, 20)  # warm-up
                before = _by_service(running, nats.monitor_url)
                await (latency(system, jobs) if load == "latency" else throughput(system, jobs))
                after = _by_service(running, nats.monitor_url)
            print(f"\n{load}, {jobs} jobs: messages per job\n")
            print("| service | to nats | from nats |\n| --- | --- | --- |")
            for name in sorted(after):
                sent, received = before.get(name, (0, 0))
                print(f"| {name} | {(after[name][0] - sent) / jobs:.1f} | "
                      f"{(after[name][1] - received) / jobs:.1f} |")  # fmt: skip

        asyncio.run(counted("throughput", args.jobs))
        asyncio.run(counted("latency", 40))


if __name__ == "__main__":
    main()
