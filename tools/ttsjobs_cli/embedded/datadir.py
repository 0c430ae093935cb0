"""What `ttsjobs dev` keeps in its data dir besides the servers' files: the lock that lets one
dev at a time use it, the dev webhook secret, and the clean-up after an unclean stop."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import time
from pathlib import Path

import structlog

log = structlog.get_logger()

LOCK_FILE = "dev.lock"
WEBHOOK_SECRET_FILE = "webhook-secret"
# Binaries that name the data dir on their command line, and so can be told apart from
# anything else on the machine (an editor or `tail -f` of a log is left alone).
_OURS = ("nats-server", "weed", "ttsjobs_cli.embedded.watchdog")


class DataDirInUse(RuntimeError):
    def __init__(self, data_dir: Path, holder: str) -> None:
        super().__init__(
            f"{data_dir} is in use by another `ttsjobs dev` (pid {holder or '?'}); "
            "stop that one first, or give this one its own --data-dir"
        )


def hold_lock(data_dir: Path, *, wait_for_dead_owner_s: float = 15.0) -> int:
    """Lock ``data_dir`` for this process's life; returns the file descriptor (keep it open).

    flock is released by the kernel when the last holder exits, kill -9 included, so a stale
    lock cannot outlive its owner. The watchdog inherits the descriptor: after a dev was
    killed, its watchdog still holds the lock while it stops the old processes, and a new dev
    waits for that (bounded) instead of starting servers on files still in use.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait_for_dead_owner_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            if _alive(holder) or time.monotonic() > deadline:
                os.close(fd)
                raise DataDirInUse(data_dir, holder) from None
            time.sleep(0.1)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def webhook_secret(data_dir: Path) -> str:
    """The secret the dev notifier signs callbacks with: random, made once per data dir.

    The services' own default is a public placeholder; a dev stack that posts callbacks signed
    with it proves nothing to the receiver.
    """
    path = data_dir / WEBHOOK_SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secret + "\n")
    return secret


def kill_leftovers(data_dir: Path) -> list[int]:
    """Kill the servers and watchdog an unclean stop left running on ``data_dir``.

    Call it only with the lock held: then no live dev owns them. Returns the killed pids.
    """
    import psutil

    mine = {os.getpid(), *(p.pid for p in psutil.Process().parents())}
    leftovers = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.pid in mine or str(data_dir) not in cmdline:
            continue
        if any(name in cmdline for name in _OURS):
            leftovers.append(proc)
    for proc in leftovers:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(leftovers, timeout=10)
    if leftovers:
        log.warning("dev.leftovers_killed", pids=[p.pid for p in leftovers])
    return [p.pid for p in leftovers]
