"""The whole system on one machine: embedded servers where no external URL is configured, then
the services as separate processes. Used by ``ttsjobs dev`` and by the test suite.

``cluster=True`` is the layout deploy/k8s describes, on loopback: a 3-node JetStream cluster
(every stream and KV bucket at 3 replicas), two gateways, two synthesis processes and two
notifiers. The projection stays one: it applies events in stream order with one batch out at a
time, and a second process on its durable would commit batches out of that order (a job's
later event before its earlier one). Two notifiers may share theirs: each final event goes to
one of them, the attempt count is the server's (its delivery count), and a webhook is delivered
at least once anyway, each delivery named in its Ttsjobs-Delivery header.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from ttsjobs.settings import settings_with
from ttsjobs_cli.embedded.nats_cluster import NatsCluster, start_nats_cluster
from ttsjobs_cli.embedded.processes import free_port, spawn, stop, wait_until
from ttsjobs_cli.embedded.servers import (
    NatsServer,
    PostgresServer,
    S3Server,
    restart_postgres,
    start_nats,
    start_postgres,
    start_s3,
)

SERVICES = ("projection", "synthesis", "notifier", "gateway")
# The processes of a cluster stack; "<service>-2" is a second process of that service.
CLUSTER_SERVICES = (
    "projection", "synthesis", "synthesis-2", "notifier", "notifier-2", "gateway", "gateway-2",
)  # fmt: skip
CLUSTER_REPLICAS = 3
T = TypeVar("T")


@dataclass
class Stack:
    data_dir: Path
    gateway_port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    servers: list[NatsServer | NatsCluster | PostgresServer | S3Server] = field(
        default_factory=list
    )
    services: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    # Where each worker service serves /healthz, /readyz and /metrics (a free port per start).
    probe_ports: dict[str, int] = field(default_factory=dict)
    # Each service also writes its spans to <data_dir>/traces/<name>.jsonl (the test suite).
    trace_to_files: bool = False
    # `ttsjobs dev`: the data dir is ours alone (its lock is held), every child dies with this
    # process, and each process group started is reported to ``on_spawn`` (the watchdog).
    supervised: bool = False
    on_spawn: Callable[[int], None] = field(default=lambda pgid: None, repr=False)
    # JetStream fsyncs before it acks (`sync_interval: always`); off only to measure the cost.
    nats_sync_always: bool = True
    # A 3-node NATS cluster and two of each service that can run twice (the module docstring).
    cluster: bool = False
    # The second gateway's port (cluster only).
    second_gateway_port: int = field(default_factory=free_port)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def gateway_ports(self) -> list[int]:
        """Every gateway's port: one, or two in a cluster stack ("gateway", "gateway-2")."""
        if self.cluster:
            return [self.gateway_port, self.second_gateway_port]
        return [self.gateway_port]

    @property
    def gateway_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.gateway_ports]

    @property
    def nats_cluster(self) -> NatsCluster:
        """The embedded NATS cluster of a cluster stack."""
        return self.embedded_server(NatsCluster)

    @property
    def service_names(self) -> tuple[str, ...]:
        return CLUSTER_SERVICES if self.cluster else SERVICES

    def start_servers(self) -> dict[str, str]:
        """Start what is not configured from outside; returns the services' environment."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = dict(self.env)
        if self.cluster:
            # Always embedded: a cluster stack exists to kill its nodes.
            nats_cluster = start_nats_cluster(
                self.data_dir / "nats-cluster",
                sync_always=self.nats_sync_always,
                die_with_parent=self.supervised,
                on_spawn=self.on_spawn,
            )
            self.servers.append(nats_cluster)
            env["TTSJOBS_NATS_URL"] = nats_cluster.url
            env["TTSJOBS_STREAM_REPLICAS"] = str(CLUSTER_REPLICAS)
            shared = _create_shared_nats_state(nats_cluster.url, settings_with(env).retention)
            # In a thread of its own: a caller may be inside an event loop (an async fixture).
            with ThreadPoolExecutor(1) as apart:
                apart.submit(asyncio.run, shared).result()
        elif "TTSJOBS_NATS_URL" not in os.environ:
            nats = self._start_nats()
            self.servers.append(nats)
            env["TTSJOBS_NATS_URL"] = nats.url
        if "TTSJOBS_DATABASE_URL" not in os.environ:
            pg = start_postgres(self.data_dir / "postgres", sole_owner=self.supervised)
            self.servers.append(pg)
            env["TTSJOBS_DATABASE_URL"] = pg.url
        if "TTSJOBS_S3_ENDPOINT" not in os.environ:
            s3 = self._start_s3()
            self.servers.append(s3)
            env["TTSJOBS_S3_ENDPOINT"] = s3.endpoint
            env["TTSJOBS_S3_ACCESS_KEY"] = s3.access_key
            env["TTSJOBS_S3_SECRET_KEY"] = s3.secret_key
        env["TTSJOBS_PORT"] = str(self.gateway_port)
        self.env = env
        _write_stack_env(self.data_dir, env)
        return env

    def start_service(
        self,
        name: str,
        *,
        extra_env: dict[str, str] | None = None,
        service: str | None = None,
    ) -> subprocess.Popen[bytes]:
        """Start ``service`` (default: ``name`` up to a "-", so "gateway-2" is a gateway) as a
        process known here as ``name``; its output goes to ``logs/<name>.log`` (`ttsjobs dev`
        shows a person what matters in it)."""
        service = service or name.split("-", 1)[0]
        args = [sys.executable, "-m", f"ttsjobs_{service}.main"]
        env = {**self.env, **self._own_env(name, service), **(extra_env or {})}
        if self.trace_to_files:
            (self.data_dir / "traces").mkdir(exist_ok=True)
            env["TTSJOBS_TRACE_FILE"] = str(self.data_dir / "traces" / f"{name}.jsonl")
        if service != "gateway" and "TTSJOBS_PROBE_PORT" not in env:
            self.probe_ports[name] = free_port()
            env["TTSJOBS_PROBE_PORT"] = str(self.probe_ports[name])
        log_path = self.data_dir / "logs" / f"{name}.log"
        proc = spawn(args, log_path=log_path, env=env, die_with_parent=self.supervised)
        self.on_spawn(proc.pid)  # a session of its own: its pid is its process group
        self.services[name] = proc
        return proc

    def _own_env(self, name: str, service: str) -> dict[str, str]:
        """What differs between two processes of a service in a cluster stack."""
        if not self.cluster:
            return {}
        if service == "gateway":
            return {"TTSJOBS_PORT": str(self.gateway_ports[name != "gateway"])}
        if service == "synthesis":
            # max_ack_pending is sized for both; each names itself in the events it writes.
            synthesis = sum(1 for n in self.service_names if n.startswith("synthesis"))
            return {"TTSJOBS_REPLICAS": str(synthesis), "TTSJOBS_WORKER_NAME": name}
        return {}

    def start_services(self, *, but: tuple[str, ...] = ()) -> None:
        for name in self.service_names:
            if name not in but:
                self.start_service(name)

    def wait_ready(self, *, timeout_s: float = 120) -> None:
        """Ready when the gateway is, synthesis has published its voices, and every worker
        answers its own /readyz. The voices alone are not enough: synthesis publishes them
        before its probes listen, and a catalogue kept from an earlier run is there at once."""

        def ready() -> bool:
            for name, proc in self.services.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode}")
            workers = [self.probe_ports[name] for name in self.services if name in self.probe_ports]
            return self._voices_listed() and all(answers_ready(port) for port in workers)

        wait_until(ready, timeout_s=timeout_s, what="ttsjobs services")

    def _voices_listed(self) -> bool:
        """Every running gateway lists voices."""
        urls = [
            url
            for name, url in zip(("gateway", "gateway-2"), self.gateway_urls, strict=False)
            if name in self.services
        ]
        return bool(urls) and all(_lists_voices(url) for url in urls)

    def stop_service(self, name: str) -> None:
        proc = self.services.pop(name, None)
        if proc is not None:
            stop(proc)

    def _start_nats(self, old: NatsServer | None = None) -> NatsServer:
        nats = start_nats(
            self.data_dir / "nats",
            port=old.port if old else None,
            monitor_port=old.monitor_port if old else None,
            sync_always=self.nats_sync_always,
            die_with_parent=self.supervised,
        )
        self.on_spawn(nats.proc.pid)
        return nats

    def _start_s3(self, old: S3Server | None = None) -> S3Server:
        s3 = start_s3(
            self.data_dir / "s3", ports=old.ports if old else None, die_with_parent=self.supervised
        )
        self.on_spawn(s3.proc.pid)
        return s3

    def restart_nats(self) -> None:
        """Stop the embedded nats-server and start it again on the same port and files."""
        old = self.embedded_server(NatsServer)
        old.stop()
        self.servers[self.servers.index(old)] = self._start_nats(old)

    def restart_s3(self) -> None:
        """Stop weed (if it still runs) and start it again on the same ports and files."""
        old = self.embedded_server(S3Server)
        old.stop()
        self.servers[self.servers.index(old)] = self._start_s3(old)

    def restart_postgres(self) -> None:
        """Start the embedded PostgreSQL again after its postmaster died; same files, same URL."""
        restart_postgres(self.embedded_server(PostgresServer))

    def stop_postgres(self) -> None:
        """Stop the embedded PostgreSQL (a fast shutdown: open connections are cut)."""
        self.embedded_server(PostgresServer).stop()

    def start_postgres(self) -> None:
        """Start it again on the same files; its URL (a socket folder) stays the same."""
        old = self.embedded_server(PostgresServer)
        new = start_postgres(self.data_dir / "postgres")
        assert new.url == old.url, (new.url, old.url)
        self.servers[self.servers.index(old)] = new

    def server(self, kind: type[T]) -> T | None:
        """The embedded server of this kind, or None when it is configured from outside."""
        return next((s for s in self.servers if isinstance(s, kind)), None)

    def embedded_server(self, kind: type[T]) -> T:
        """The embedded server of this kind (a stack started with it, not pointed elsewhere)."""
        return next(s for s in self.servers if isinstance(s, kind))

    def kill_service(self, name: str) -> None:
        """kill -9 a service and every process it started (its engine pool too)."""
        proc = self.services.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop(self) -> None:
        for name in reversed(list(self.services)):
            self.stop_service(name)
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()


async def _create_shared_nats_state(url: str, retention: timedelta) -> None:
    """The streams and shared buckets, once, before the services start (shared_nats_state)."""
    from ttsjobs.messaging.connect import connect_nats
    from ttsjobs_cli.shared_nats_state import create_shared_state

    nc = await connect_nats(url, name="ttsjobs-dev-setup")
    try:
        await create_shared_state(
            nc.jetstream(timeout=30), retention=retention, replicas=CLUSTER_REPLICAS
        )
    finally:
        await nc.close()


def _lists_voices(gateway_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{gateway_url}/readyz", timeout=2) as r:
            return bool(json.loads(r.read())["providers"])
    except (OSError, ValueError, KeyError):
        return False


def answers_ready(port: int) -> bool:
    """The service probed on ``port`` (127.0.0.1) answers its /readyz with 200."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            status: int = r.status
            return status == 200
    except OSError:  # refused, a 503 (HTTPError), a timeout
        return False


# Where the embedded servers are, for the operator commands (`ttsjobs users`) run beside
# `ttsjobs dev`. Only the servers' URLs: the S3 keys stay in the processes' environment.
STACK_ENV = "stack.env"
_SHARED = ("TTSJOBS_NATS_URL", "TTSJOBS_DATABASE_URL")


def _write_stack_env(data_dir: Path, env: dict[str, str]) -> None:
    path = data_dir / STACK_ENV
    path.touch(mode=0o600)
    path.write_text("".join(f"{k}={env[k]}\n" for k in _SHARED if k in env))


def read_stack_env(data_dir: Path) -> dict[str, str]:
    path = data_dir / STACK_ENV
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k: v for k, v in pairs}
