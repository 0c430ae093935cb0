"""Where each ttsjobs process spends its CPU under the pipeline benchmark's throughput load.

    .venv/bin/python bench/profile_pipeline.py [--jobs 400] [--slots 8] [--top 25]

Starts the stack as bench/pipeline_vs_celery.py does (tone provider), warms it up, then records
every service with py-spy (sampling, native frames off, idle threads excluded) while ``--jobs``
jobs go through, and prints per process the CPU time per job and the functions that take the
most of it: by self time, and by total time for the project's own functions. The collapsed
stacks stay in the printed folder for a flame graph (``flamegraph.pl`` or speedscope.app).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import cpu_seconds, running_stack, tone_stack
from bench.pipeline_vs_celery import System, latency, throughput

OURS = ("ttsjobs", "services/", "libs/")


def _frame_name(frame: str) -> str:
    # py-spy raw frames read "function (path/file.py:line)"; the line is dropped so that one
    # function's samples add up.
    name, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "python3.11/", "/work/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"


def summarise(raw: Path, top: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]], int]:
    self_time: collections.Counter[str] = collections.Counter()
    total_time: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue  # py-spy now and then writes a line it could not read from the process
        count = int(count_text)
        frames = [_frame_name(f) for f in stack.split(";") if f]
        samples += count
        if frames:
            self_time[frames[-1]] += count
        for frame in set(frames):
            if any(marker in frame for marker in OURS):
                total_time[frame] += count
    return self_time.most_common(top), total_time.most_common(top), samples


def _record(py_spy: str, pid: int, output: Path, rate: int) -> subprocess.Popen[bytes]:
    command = [py_spy, "record", "--pid", str(pid), "--rate", str(rate), "--format", "raw"]
    command += ["--output", str(output), "--nonblocking", "--subprocesses", "--gil"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=400)
    parser.add_argument("--slots", type=int, default=8)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--rate", type=int, default=250)
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out = Path(tempfile.mkdtemp(prefix="ttsjobs-profile-"))
    with running_stack(tone_stack(args.slots)) as running:
        procs = running.processes()
        services = {name: running.stack.services[name].pid for name in running.stack.services}

        async def profiled() -> dict[str, float]:
            limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
            async with httpx.AsyncClient(
                base_url=running.url, headers=running.headers, timeout=60, limits=limits
            ) as client:
                system = System(
                    "ttsjobs", client, "/api/v1/jobs/tts/multi-role", "/api/v1/jobs/{id}"
                )
                await latency(system, 5)
                await throughput(system, 50)  # warm-up
                recorders = {
                    name: _record(py_spy, pid, out / f"{name}.txt", args.rate)
                    for name, pid in services.items()
                }
                await asyncio.sleep(1.0)  # py-spy attaches
                before = cpu_seconds(procs)
                rate = await throughput(system, args.jobs)
                after = cpu_seconds(procs)
                for recorder in recorders.values():
                    recorder.send_signal(signal.SIGINT)
                for recorder in recorders.values():
                    recorder.wait(timeout=60)
                print(f"{args.jobs} jobs at {rate:.1f} jobs/s (under py-spy)\n")
                return {n: (after[n] - before[n]) * 1000 / args.jobs for n in after}

        per_job = asyncio.run(profiled())
    ordered = sorted(per_job.items(), key=lambda item: -item[1])
    print("CPU per job, ms: " + ", ".join(f"{n} {ms:.1f}" for n, ms in ordered))
    for name in services:
        raw = out / f"{name}.txt"
        if not raw.exists():
            print(f"\n## {name}: no profile")
            continue
        by_self, by_total, samples = summarise(raw, args.top)
        print(f"\n## {name} ({samples} samples)\n\nself:")
        for frame, count in by_self:
            print(f"  {100 * count / samples:5.1f}%  {frame}")
        print("total, project functions:")
        for frame, count in by_total:
            print(f"  {100 * count / samples:5.1f}%  {frame}")
    print(f"\ncollapsed stacks: {out}")


if __name__ == "__main__":
    main()
