"""What every benchmark shares: the embedded stack with a user, how numbers are summarised, and
the machine line printed above each table."""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import statistics
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psutil

from ttsjobs.accounts.admin import open_accounts
from ttsjobs.embedded.stack import Stack
from ttsjobs.settings import settings_with

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
    temporary folder, with a user `bench` and its API key; everything stops afterwards."""
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


async def _bench_user(stack: Stack) -> str:
    async with open_accounts(settings_with(stack.env)) as accounts:
        issued = await accounts.create_user("bench", label="bench")
    return issued.key.key


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
