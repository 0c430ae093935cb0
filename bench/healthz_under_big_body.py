"""/healthz while the largest bodies the gateway admits are submitted in their worst shapes
(issue 29, defect 1: one request froze every user).

A full stack (tone provider). For each shape, a client asks /healthz again and again, one
request after the other, while another submits a body of that shape ``--bodies`` times, one
after the other; the table gives /healthz's latency meanwhile (p50, p99, max) and what each big
request got, and how long it took (median). The shapes, each as large as ``--kib`` allows:

- a script with a speaker a line (``S0: hi`` …): the most turns and speakers a body holds;
- the same as JSON, a turn per speaker;
- a script with one speaker (``A: hi`` …), the issue's "1 MB one-speaker script".

With ``--before <commit>`` every service runs that commit's code (from ``git archive``).

    .venv/bin/python -m bench.healthz_under_big_body --bodies 4
    .venv/bin/python -m bench.healthz_under_big_body --bodies 2 --kib 64 --before 2969328
    .venv/bin/python -m bench.healthz_under_big_body --bodies 2 --shapes "one speaker" \
        --before 2969328
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.harness import ROOT, SUBMIT, machine_line, percentile, running_stack, tone_stack

SERVICE_DIRS = ("libs", "tools", *(f"services/{s}" for s in ("gateway", "synthesis",
                "projection", "notifier")))  # fmt: skip


def speaker_a_line(limit: int) -> bytes:
    return _lines(limit, lambda i: f"S{i}: hi\n")


def one_speaker(limit: int) -> bytes:
    return _lines(limit, lambda i: "A: hi\n")


def _lines(limit: int, line: Callable[[int], str]) -> bytes:
    out, size = [], 0
    while size + len(next_line := line(len(out))) <= limit:
        out.append(next_line)
        size += len(next_line)
    return "".join(out).encode()


def turn_a_speaker_json(limit: int) -> bytes:
    turns, size = [], len('{"turns":[]}')
    while size + len(turn := f'{{"speaker":"S{len(turns)}","text":"hi"}},') <= limit:
        turns.append(turn)
        size += len(turn)
    return ('{"turns":[' + "".join(turns).rstrip(",") + "]}").encode()


SHAPES: dict[str, tuple[Callable[[int], bytes], str]] = {
    "script, a speaker a line": (speaker_a_line, "text/plain"),
    "JSON, a turn per speaker": (turn_a_speaker_json, "application/json"),
    "script, one speaker": (one_speaker, "text/plain"),
}


async def _poll_healthz(client: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    latencies = []
    while not stop.is_set():
        start = time.perf_counter()
        (await client.get("/healthz")).raise_for_status()
        latencies.append(time.perf_counter() - start)
    return latencies


async def _shape(url: str, headers: dict[str, str], body: bytes, content_type: str,
                 bodies: int, timeout_s: float) -> dict[str, object]:  # fmt: skip
    async with (
        httpx.AsyncClient(base_url=url, timeout=timeout_s) as health,
        httpx.AsyncClient(base_url=url, timeout=timeout_s, headers=headers) as submit,
    ):
        for _ in range(20):  # warm: connections open, the key cached
            await health.get("/healthz")
        stop = asyncio.Event()
        poller = asyncio.create_task(_poll_healthz(health, stop))
        took, statuses = [], []
        for _ in range(bodies):
            start = time.perf_counter()
            try:
                answer = await submit.post(
                    SUBMIT, content=body, headers={"content-type": content_type}
                )
                statuses.append(str(answer.status_code))
            except httpx.TimeoutException:
                statuses.append(f"none in {timeout_s:.0f} s")
            took.append(time.perf_counter() - start)
        stop.set()
        with contextlib.suppress(httpx.TimeoutException):
            latencies = await poller
    ms = [s * 1000 for s in latencies]
    return {
        "p50": percentile(ms, 50), "p99": percentile(ms, 99), "max": max(ms), "n": len(ms),
        "took": statistics.median(took), "status": ", ".join(sorted(set(statuses))),
    }  # fmt: skip


def _archive(commit: str) -> str:
    """``commit``'s code in a temporary folder, as a PYTHONPATH that puts it before today's."""
    folder = Path(tempfile.mkdtemp(prefix=f"ttsjobs-{commit}-"))
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                             capture_output=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return ":".join(str(folder / d) for d in SERVICE_DIRS)


async def _run(url: str, headers: dict[str, str], args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(base_url=url) as client:
        idle = []
        for _ in range(200):
            start = time.perf_counter()
            await client.get("/healthz")
            idle.append((time.perf_counter() - start) * 1000)
    print(f"/healthz idle: p50 {percentile(idle, 50):.1f} ms, p99 {percentile(idle, 99):.1f} ms")
    print()
    print("| shape | body | /healthz p50 | p99 | max | answered | big request | its answer |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, (make, content_type) in SHAPES.items():
        if args.shapes and not any(word in name for word in args.shapes):
            continue
        body = make(args.kib * 1024)
        row = await _shape(url, headers, body, content_type, args.bodies, args.timeout)
        print(f"| {name} | {len(body) / 1024:,.0f} KiB | {row['p50']:.1f} ms | {row['p99']:.1f} ms"
              f" | {row['max']:,.0f} ms | {row['n']} | {row['took']:.2f} s | {row['status']} |",
              flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bodies", type=int, default=4, help="big requests of each shape")
    parser.add_argument("--kib", type=int, default=1024, help="body size (the limit: 1024)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds for any request")
    parser.add_argument("--before", help="a commit whose services to run instead")
    parser.add_argument("--shapes", nargs="*", help="only shapes whose name holds one of these")
    args = parser.parse_args(argv)
    env = tone_stack()
    if args.before:
        env["PYTHONPATH"] = _archive(args.before)
    print(machine_line(args.bodies), f"Code: {args.before or 'this commit'}.")
    with running_stack(env) as stack:
        asyncio.run(_run(stack.url, stack.headers, args))


if __name__ == "__main__":
    sys.exit(main())
