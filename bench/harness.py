"""What every benchmark shares: the embedded stack with a user, how numbers are summarised, and
the machine line printed above each table."""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import shutil
import statistics
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psutil

from ttsjobs.settings import settings_with
from ttsjobs_cli.accounts import open_accounts
from ttsjobs_cli.embedded.stack import Stack

ROOT = Path(__file__).resolve().parent.parent

SUBMIT = "/api/v1/jobs/tts/multi-role"


@dataclass
class RunningStack:
    stack: Stack
    api_key: str

    @property
    def url(self) -> str:
        return self.stack.gateway_url

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def processes(self) -> dict[str, psutil.Process]:
        """Every process of the stack by name: the services and the embedded servers."""
        procs = {name: psutil.Process(proc.pid) for name, proc in self.stack.services.items()}
        for server in self.stack.servers:
            proc = getattr(server, "proc", None)
            if proc is not None:
                kind = type(server).__name__.removesuffix("Server").lower()  # nats, s3
                procs[kind] = psutil.Process(proc.pid)
        pgdata = self.stack.data_dir / "postgres" / "pgdata" / "postmaster.pid"
        if pgdata.exists():
            procs["postgresql"] = psutil.Process(int(pgdata.read_text().split()[0]))
        return procs

    def rss_mb(self) -> dict[str, float]:
        """Resident memory of each service, its child processes (engine pools) included."""
        sizes = {}
        for name, proc in self.stack.services.items():
            parent = psutil.Process(proc.pid)
            procs = [parent, *parent.children(recursive=True)]
            sizes[name] = sum(p.memory_info().rss for p in procs if p.is_running()) / 2**20
        return sizes


@contextlib.contextmanager
def running_stack(
    env: dict[str, str] | None = None, *, services: bool = True
) -> Iterator[RunningStack]:
    """NATS, PostgreSQL, S3 and (unless ``services`` is False) every ttsjobs service, in a
    temporary folder, with a user `bench` and its API key; everything stops afterwards and the
    folder is removed (the reads benchmark leaves gigabytes of tables), unless
    ``TTSJOBS_BENCH_KEEP`` is set, to read the services' logs."""
    stack = Stack(data_dir=Path(tempfile.mkdtemp(prefix="ttsjobs-bench-")))
    stack.env["TTSJOBS_LOG_LEVEL"] = "WARNING"
    stack.env["TTSJOBS_SUBMISSIONS_PER_MINUTE"] = "10000000"
    stack.env["TTSJOBS_MAX_PENDING_JOBS"] = "10000000"
    stack.env.update(env or {})
    stack.start_servers()
    try:
        key = ""
        if services:
            stack.start_services()
            stack.wait_ready()
            key = asyncio.run(_bench_user(stack))
        yield RunningStack(stack, key)
    finally:
        stack.stop()
        if not os.environ.get("TTSJOBS_BENCH_KEEP"):
            shutil.rmtree(stack.data_dir, ignore_errors=True)


async def _bench_user(stack: Stack) -> str:
    async with open_accounts(settings_with(stack.env)) as accounts:
        issued = await accounts.create_user("bench", label="bench")
    return issued.key.key


def tone_stack(slots: int = 8) -> dict[str, str]:
    """The stack's settings for the pipeline's load: the tone provider, ``slots`` jobs at once
    in the one synthesis process, as many of them for one user."""
    return {
        "TTSJOBS_PROVIDERS": '["tone"]',
        "TTSJOBS_WORKER_SLOTS": str(slots),
        "TTSJOBS_PER_USER_LIMIT": str(slots),
    }


def tone_job(i: int) -> dict:
    """A two-turn job on the tone provider: the job system's own cost, next to no synthesis."""
    return {
        "provider": "tone",
        "title": f"bench {i}",
        "turns": [
            {"speaker": "A", "text": f"First line of job {i}, {uuid.uuid4()}."},
            {"speaker": "B", "text": f"Second line of job {i}."},
        ],
        "voice_assignments": {"A": {"voice": "mid"}, "B": {"voice": "high"}},
    }


def cpu_seconds(procs: dict[str, psutil.Process]) -> dict[str, float]:
    """CPU time (user + system) used so far by each process and its live children, a child
    that is itself listed (a service this benchmark spawned) counted under its own name only.
    Children that ended before the call are missed, so take the difference of two calls
    around a run whose processes all stay up (connection pools, worker pools)."""
    trees = {}
    for name, root in procs.items():
        with contextlib.suppress(psutil.NoSuchProcess):
            trees[name] = {root.pid: root} | {c.pid: c for c in root.children(recursive=True)}
    listed = {root.pid for root in procs.values()}
    used = {}
    for name, tree in trees.items():
        own = dict(tree)
        for other, other_tree in trees.items():
            if other != name and procs[other].pid in tree and procs[other].pid in listed:
                for pid in other_tree:
                    own.pop(pid, None)
        total = 0.0
        for proc in own.values():
            with contextlib.suppress(psutil.NoSuchProcess):
                times = proc.cpu_times()
                total += times.user + times.system
        used[name] = total
    return used


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(values: list[float], unit: str = "", digits: int = 2) -> str:
    """Median (± half the spread) of repeated runs."""
    median = statistics.median(values)
    spread = (max(values) - min(values)) / 2
    return f"{median:.{digits}f}{unit} (±{spread:.{digits}f})"


def machine_line(runs: int) -> str:
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, Python "
        f"{platform.python_version()}. {date.today().isoformat()}. {runs} runs, median "
        "(± half the spread)."
    )
