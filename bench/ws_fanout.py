"""Benchmark: 1,000 WebSocket subscribers to one job's feed; the time from each event to each
client.

    .venv/bin/python bench/ws_fanout.py [--runs 3] [--subscribers 1000] [--turns 20] [--batch]

Two kinds of job: a piper dialogue (events at the pace of real synthesis, about ten a second,
with piper busy on both cores) and a tone job (the same number of events in a burst, as fast as
synthesis can publish them: the worst case for the gateway). Per run and kind: synthesis is
stopped, a ``--turns``-turn job is submitted (so it waits pending),
``--subscribers`` clients open ``/api/v1/jobs/{id}/events`` on the one gateway and read its
snapshot, then synthesis starts and the job runs. Every client records, for every event it is
sent, its arrival time minus the event's ``time`` (stamped by synthesis just before publishing):
publish → JetStream → the gateway's tap and fan-out → 1,000 sends → the client. All on one
machine, so one clock; the clients are one asyncio process beside the stack on the same 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import psutil
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dialogue_job import dialogue
from bench.harness import (
    SUBMIT,
    cpu_seconds,
    machine_line,
    percentile,
    running_stack,
    summary,
)
from bench.lean_ws_client import read_feed


async def subscriber(
    url: str, headers: dict, ready: asyncio.Event, delays: list[float], sends: list[int]
) -> int:
    """Read the feed to its end; returns how many events arrived (``sends`` counts the
    messages that carried them)."""
    events = 0
    async with connect(url, additional_headers=headers, max_queue=None, open_timeout=60) as ws:
        async for raw in ws:
            arrived = time.time()
            events += _record(json.loads(raw), arrived, ready, delays, sends)
    return events


async def lean_subscriber(
    url: str, headers: dict, ready: asyncio.Event, delays: list[float], sends: list[int]
) -> int:
    """The same, through the lean client: messages are decoded after the feed has ended."""
    events = 0
    for arrived, raw in await read_feed(url, headers, ready):
        events += _record(json.loads(raw), arrived, ready, delays, sends)
    return events


def _record(
    message: dict, arrived: float, ready: asyncio.Event, delays: list[float], sends: list[int]
) -> int:
    """Note one feed message; returns how many events it carried."""
    if message["type"] == "snapshot":
        ready.set()
        return 0
    if message["type"] not in ("event", "events"):  # batch=1: "events", several in one
        return 0
    sends.append(1)
    carried = message["events"] if message["type"] == "events" else [message]
    for one in carried:
        sent = datetime.fromisoformat(one["event"]["time"]).timestamp()
        delays.append(arrived - sent)
    return len(carried)


async def one_run(
    running, provider: str, subscribers: int, turns: int, run: int, cpu_us: dict[str, float],
    *, batch: bool, lean: bool,
) -> list[float]:  # fmt: skip
    stack = running.stack
    stack.stop_service("synthesis")
    async with httpx.AsyncClient(base_url=running.url, headers=running.headers) as api:
        response = await api.post(SUBMIT, json=dialogue(provider, f"fan-out {run}", turns))
        if response.status_code != 202:
            raise RuntimeError(response.text)
        job_id = response.json()["id"]
    url = stack.gateway_url.replace("http", "ws", 1) + f"/api/v1/jobs/{job_id}/events"
    if batch:
        url += "?batch=1"
    delays: list[float] = []
    sends: list[int] = []
    read = lean_subscriber if lean else subscriber
    readies = [asyncio.Event() for _ in range(subscribers)]
    # Opened a hundred at a time, as a crowd of browsers would arrive, not all in one instant.
    tasks = []
    for start in range(0, subscribers, 100):
        batch = [
            asyncio.create_task(read(url, running.headers, ready, delays, sends))
            for ready in readies[start : start + 100]
        ]
        tasks += batch
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies[start:][:100])), 120)
    stack.start_service("synthesis")
    # Every process listed, so that the services this process spawned are not counted as ours.
    procs = running.processes() | {"clients": psutil.Process()}
    before = cpu_seconds(procs)
    counts = await asyncio.wait_for(asyncio.gather(*tasks), timeout=300)
    after = cpu_seconds(procs)
    for name in procs:  # CPU per delivery, for finding which side is the bottleneck
        cpu_us[name] = (after[name] - before[name]) * 1e6 / max(1, len(delays))
    cpu_us["messages"] = len(sends) / subscribers
    expected = turns + 2  # started, one progressed per turn, completed
    if set(counts) != {expected}:
        raise RuntimeError(f"subscribers got {sorted(set(counts))} events, expected {expected}")
    return delays


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument(
        "--batch", action="store_true", help="subscribe with batch=1 (events that queue up "
        "while the gateway is sending arrive as one message)",
    )  # fmt: skip
    parser.add_argument(
        "--lean-clients", action="store_true", help="subscribers that only record what arrives "
        "and decode it after the run (bench/lean_ws_client.py), so that they take less of the "
        "CPU the gateway shares with them",
    )  # fmt: skip
    args = parser.parse_args()

    # Two sockets per subscriber (ours and the gateway's, which inherits this limit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 4 * args.subscribers + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))

    env = {
        "TTSJOBS_PROVIDERS": '["piper","tone"]',
        "TTSJOBS_WS_MAX_LIFETIME_S": "600",
        # The burst is the point of the tone job: a quick job's progress events are otherwise
        # not published at all (progress_sender.py), which would leave two events to fan out.
        "TTSJOBS_PROGRESS_AFTER_MS": "0",
    }
    kinds = ("piper", "tone")
    results = {k: {"p50": [], "p99": [], "max": [], "rss": []} for k in kinds}
    with running_stack(env) as running:
        for run in range(args.runs):
            for provider in kinds:
                cpu_us: dict[str, float] = {}
                delays = asyncio.run(
                    one_run(
                        running,
                        provider,
                        args.subscribers,
                        args.turns,
                        run,
                        cpu_us,
                        batch=args.batch,
                        lean=args.lean_clients,
                    )
                )
                ms = [d * 1000 for d in delays]
                got = results[provider]
                got["p50"].append(statistics.median(ms))
                got["p99"].append(percentile(ms, 99))
                got["max"].append(max(ms))
                got["rss"].append(running.rss_mb()["gateway"])
                print(
                    f"run {run + 1} {provider}: {len(ms)} deliveries, p50 {got['p50'][-1]:.1f}"
                    f" ms, p99 {got['p99'][-1]:.1f} ms, max {got['max'][-1]:.1f} ms, gateway"
                    f" RSS {got['rss'][-1]:.0f} MB; CPU per delivery: gateway"
                    f" {cpu_us['gateway']:.0f} µs, clients {cpu_us['clients']:.0f} µs;"
                    f" {cpu_us['messages']:.1f} messages per subscriber",
                    flush=True,
                )

    print(
        f"\n{machine_line(args.runs)} {args.subscribers} subscribers to one job, "
        f"{args.turns + 2} events each{', batch=1' if args.batch else ''}"
        f"{', lean clients' if args.lean_clients else ''}.\n"
    )
    print("| job | event → client p50, ms | p99, ms | max, ms | gateway RSS, MB | target |")
    print("| --- | --- | --- | --- | --- | --- |")
    for provider, got in results.items():
        print(
            f"| {provider} | {summary(got['p50'], digits=1)} | {summary(got['p99'], digits=1)}"
            f" | {summary(got['max'], digits=1)} | {summary(got['rss'], digits=0)} | p99 ≤ 100 |"
        )


if __name__ == "__main__":
    main()
