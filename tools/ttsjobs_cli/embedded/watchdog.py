"""The watchdog of `ttsjobs dev`: a small process that outlives dev only to stop what dev started.

It reads a pipe from dev. Dev writes `group <pgid>` for each process group it starts (a
service with its engine pool, nats-server, weed) and `gone <pgid>` when one is reaped. End of
file without `release` means dev died (kill -9 included): the watchdog kills every group still
listed and stops the PostgreSQL serving ``pgdata``, which pg_ctl started outside dev's process
tree, so no parent-death signal reaches it. It holds dev's data-dir lock until it is done, so a
new dev cannot start on the data while the old processes are still going.

Usage: ``python -m ttsjobs_cli.embedded.watchdog <pgdata>`` with the pipe as stdin.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterable
from pathlib import Path

import structlog
from structlog.typing import EventDict, WrappedLogger

from ttsjobs_cli.embedded.servers import postgres_processes

log = structlog.get_logger()


def _stop_postgres(pgdata: Path) -> None:
    import psutil

    procs = postgres_processes(pgdata)
    pid_file = pgdata / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, IndexError):
        # SIGINT is PostgreSQL's fast shutdown: clients cut, a checkpoint, a clean stop.
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)
    _, alive = psutil.wait_procs(procs, timeout=10)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()


def watch(pipe: Iterable[str], pgdata: Path | None) -> bool:
    """Follow dev's messages; True when dev died and what it left was stopped."""
    groups: set[int] = set()
    for line in pipe:
        verb, _, arg = line.strip().partition(" ")
        if verb == "release":
            return False
        if verb == "group":
            groups.add(int(arg))
        elif verb == "gone":
            groups.discard(int(arg))
    log.warning("dev.died", stopping=sorted(groups))
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    if pgdata is not None and pgdata.exists():
        _stop_postgres(pgdata)
    return True


def _add_service(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    event_dict.setdefault("service", "watchdog")
    return event_dict


def main() -> None:
    # Dev's terminal going away must not stop the clean-up half way.
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    # Its stdout is logs/watchdog.log: JSON lines like the services' (set up here rather than
    # through ttsjobs.observability, whose tracing imports would slow this small process down).
    structlog.configure(
        processors=[
            _add_service,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper("iso"),
            structlog.processors.JSONRenderer(),
        ]
    )
    pgdata = Path(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] else None
    if watch(sys.stdin, pgdata):
        log.info("dev.cleaned_up")


if __name__ == "__main__":
    main()
