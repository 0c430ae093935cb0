"""`ttsjobs dev`'s supervision: every process of the stack is watched, and one that dies is
started again, with backoff, on the same ports and data; the watchdog outlives dev to stop
them all if dev itself dies.

A service restarts from scratch (its durable consumers resume where they were). A server
restarts on its files: JetStream (fsynced before each ack), PostgreSQL (WAL) and weed come
back with what they had acknowledged, and the services reconnect on their own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import structlog

from ttsjobs_cli.embedded.nats_cluster import NatsCluster
from ttsjobs_cli.embedded.servers import NatsServer, PostgresServer, S3Server
from ttsjobs_cli.embedded.stack import Stack

log = structlog.get_logger()

# A process that stayed up this long is healthy again: its next death restarts it at once.
_STABLE_S = 30.0
_MAX_DELAY_S = 30.0
_POLL_S = 0.25


class Watchdog:
    """The write end of the watchdog's pipe (see ttsjobs_cli.embedded.watchdog)."""

    def __init__(self, data_dir: Path, *, lock_fd: int) -> None:
        args = [sys.executable, "-m", "ttsjobs_cli.embedded.watchdog"]
        args.append(str(data_dir / "postgres" / "pgdata"))
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=open(_log(data_dir, "watchdog"), "ab"),
            stderr=subprocess.STDOUT,
            text=True,
            pass_fds=(lock_fd,),  # it keeps the data dir locked until its clean-up is done
            start_new_session=True,  # no parent-death signal: it must outlive dev
        )

    def _say(self, line: str) -> None:
        assert self.proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()

    def register(self, pgid: int) -> None:
        self._say(f"group {pgid}")

    def forget(self, pgid: int) -> None:
        self._say(f"gone {pgid}")

    def release(self) -> None:
        """Dev stopped everything itself: the watchdog exits without killing anything."""
        self._say("release")
        assert self.proc.stdin is not None  # opened with stdin=PIPE
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        self.proc.wait(10)


def _log(data_dir: Path, name: str) -> Path:
    (data_dir / "logs").mkdir(parents=True, exist_ok=True)
    return data_dir / "logs" / f"{name}.log"


@dataclass
class _Unit:
    """One supervised process: how to tell it is alive, and how to start it again."""

    name: str
    alive: Callable[[], bool]
    restart: Callable[[], None]
    started_at: float = 0.0
    failures: int = 0  # deaths in a row, each within _STABLE_S of its start
    due: float | None = None  # when a dead unit is to be started again

    def delay(self) -> float:
        return min(2.0**self.failures, _MAX_DELAY_S)


class Supervisor:
    def __init__(
        self, stack: Stack, watchdog: Watchdog, *, say: Callable[[str], None] = lambda _: None
    ) -> None:
        self.stack = stack
        self.watchdog = watchdog
        self.say = say  # a line for the person at the terminal; the details go to the log
        now = time.monotonic()
        self.units = [*self._server_units(), *self._service_units()]
        for unit in self.units:
            unit.started_at = now

    def _server_units(self) -> list[_Unit]:
        units = []
        if self.stack.server(NatsServer) is not None:
            units.append(_Unit("nats-server", self._server_alive(NatsServer), self._nats))
        if self.stack.server(PostgresServer) is not None:
            pg = self.stack.restart_postgres
            units.append(_Unit("postgresql", lambda: self._postgres().is_running(), pg))
        if self.stack.server(S3Server) is not None:
            units.append(_Unit("seaweedfs", self._server_alive(S3Server), self._s3))
        if (cluster := self.stack.server(NatsCluster)) is not None:
            for node in cluster.nodes:
                restart = self._nats_node(cluster, node.name)
                units.append(_Unit(f"nats-server {node.name}", node.is_running, restart))
        return units

    def _service_units(self) -> list[_Unit]:
        return [
            _Unit(name, self._service_alive(name), self._service_restart(name))
            for name in self.stack.services
        ]

    def _postgres(self) -> PostgresServer:
        return self.stack.embedded_server(PostgresServer)

    def _server_alive(self, kind: type[NatsServer] | type[S3Server]) -> Callable[[], bool]:
        return lambda: self.stack.embedded_server(kind).proc.poll() is None

    def _nats(self) -> None:
        self.watchdog.forget(self.stack.embedded_server(NatsServer).proc.pid)
        self.stack.restart_nats()

    def _nats_node(self, cluster: NatsCluster, name: str) -> Callable[[], None]:
        """A cluster node back on its ports and store; its peers bring it up to date."""

        def restart() -> None:
            if (old := cluster.node(name).pid) is not None:
                self.watchdog.forget(old)
            cluster.start_node(name)

        return restart

    def _s3(self) -> None:
        self.watchdog.forget(self.stack.embedded_server(S3Server).proc.pid)
        self.stack.restart_s3()

    def _service_alive(self, name: str) -> Callable[[], bool]:
        return lambda: self.stack.services[name].poll() is None

    def _service_restart(self, name: str) -> Callable[[], None]:
        def restart() -> None:
            old = self.stack.services.pop(name)
            # Its engine pool shares its process group and would outlive it otherwise.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(old.pid, signal.SIGKILL)
            self.watchdog.forget(old.pid)
            self.stack.start_service(name)

        return restart

    def run(self) -> None:
        """Watch until interrupted (Ctrl-C, SIGTERM)."""
        while True:
            self.check()
            time.sleep(_POLL_S)

    def check(self) -> None:
        now = time.monotonic()
        for unit in self.units:
            if unit.due is None and not unit.alive():
                self._died(unit, now)
            if unit.due is not None and now >= unit.due:
                self._restart(unit)

    def _died(self, unit: _Unit, now: float) -> None:
        if now - unit.started_at >= _STABLE_S:
            unit.failures = 0
        unit.due = now + unit.delay()
        log.warning("dev.process_died", process=unit.name, restart_in_s=unit.delay())
        self.say(f"{unit.name} stopped unexpectedly; starting it again in {unit.delay():.0f} s")
        unit.failures += 1

    def _restart(self, unit: _Unit) -> None:
        try:
            unit.restart()
        except Exception as exc:  # a failed start is one more death: back off
            log.error("dev.restart_failed", process=unit.name, error=str(exc))
            self.say(f"{unit.name} did not start again; next try in {unit.delay():.0f} s")
            unit.due = time.monotonic() + unit.delay()
            unit.failures += 1
            return
        unit.due = None
        unit.started_at = time.monotonic()
        log.warning("dev.process_restarted", process=unit.name, attempt=unit.failures)
        self.say(f"{unit.name} restarted")
