"""What `ttsjobs dev` shows in its terminal: a few plain lines for a person (what started, one
line per finished job, a process that died) while the services' JSON lines stay in
``<data dir>/logs/``; or, with ``--log-format json``, those JSON lines on stdout instead.

The services write their own files (see ``log_tail``); a thread here reads what they add.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from ttsjobs_cli.embedded.log_tail import LogTail

_POLL_S = 0.25
# The same error said again within this many seconds is not said again: a dependency that is
# down makes a service log the same failure at every retry.
_QUIET_S = 60.0
_ENDED = ("failed", "cancelled")


def short_id(job_id: str) -> str:
    """The first eight hex digits: a prefix the CLI accepts, short enough to read aloud."""
    return job_id.replace("-", "")[:8]


class JobLines:
    """The services' log events turned into at most one line per job: when it ends."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._reasons: dict[str, str] = {}
        self._said: dict[tuple[str, str], float] = {}
        self._clock = clock

    def line_for(self, source: str, record: dict[str, Any]) -> str | None:
        event, job_id = record.get("event"), record.get("job_id")
        if isinstance(job_id, str):
            if line := self._job_line(source, event, job_id, record):
                return line
        if record.get("level") in ("error", "critical") and isinstance(event, str):
            return self._error_line(source, event)
        return None

    def _job_line(self, source: str, event: Any, job_id: str, record: dict[str, Any]) -> str | None:
        if source.startswith("synthesis") and event == "job.completed":
            audio_ms = record.get("duration_ms")
            audio = f", {audio_ms / 1000:.1f} s of audio" if isinstance(audio_ms, int) else ""
            return f"job {short_id(job_id)} completed{audio}"
        if event == "event.permanent_failure" and isinstance(record.get("reason"), str):
            self._reasons[job_id] = record["reason"]
        if source == "projection" and event == "projection.status_changed":
            status = record.get("status")
            if status in _ENDED:
                reason = self._reasons.pop(job_id, None)
                return f"job {short_id(job_id)} {status}" + (f": {reason}" if reason else "")
        return None

    def _error_line(self, source: str, event: str) -> str | None:
        now = self._clock()
        last = self._said.get((source, event))
        if last is not None and now - last < _QUIET_S:
            return None
        self._said[(source, event)] = now
        return f"{source} reported an error ({event}); see logs/{source}.log"


def _as_record(line: str) -> dict[str, Any] | None:
    if not line.startswith("{"):
        return None
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _order(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # Read in one poll, the projection's lines go last: a failure's reason, logged by synthesis
    # before the projection applied it, is then known when the projection's line is read.
    return sorted(lines, key=lambda pair: pair[0] == "projection")


class Console:
    """The terminal of `ttsjobs dev`: ``say`` for people, ``follow`` for the services' logs."""

    def __init__(self, logs: Path, *, json_lines: bool, out: TextIO | None = None) -> None:
        self.json_lines = json_lines
        self._out = out or sys.stdout
        self._tail = LogTail.from_now(logs)
        self._jobs = JobLines()
        self._write_lock = threading.Lock()
        self._poll_lock = threading.Lock()  # the thread's reads and close's last one
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def say(self, text: str = "") -> None:
        """A line for a person; in JSON mode stdout carries log lines only, so it is dropped."""
        if not self.json_lines:
            self._write(text)

    def follow(self) -> None:
        """Read the services' new log lines from now on, in a thread, until ``close``."""
        self._thread = threading.Thread(target=self._run, name="dev-console", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop following, after a last read: the lines of a clean stop are shown too."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(5)
        self.poll()

    def _run(self) -> None:
        while not self._stopping.wait(_POLL_S):
            self.poll()

    def poll(self) -> None:
        with self._poll_lock:
            for source, line in _order(self._tail.poll()):
                self._show(source, line)

    def _show(self, source: str, line: str) -> None:
        record = _as_record(line)
        if self.json_lines:
            # A line that is no JSON (a crash's traceback) is wrapped, not passed through.
            self._write(line if record is not None else _wrapped(source, line))
        elif record is not None and (text := self._jobs.line_for(source, record)):
            self._write(f"ttsjobs: {text}")

    def _write(self, text: str) -> None:
        with self._write_lock:
            try:
                print(text, file=self._out, flush=True)
            except (BrokenPipeError, ValueError):  # the terminal or the pipe went away
                pass


def _wrapped(source: str, line: str) -> str:
    return json.dumps({"event": "output", "service": source, "line": line}, ensure_ascii=False)
