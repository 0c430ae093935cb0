"""Test session fixtures: real NATS, PostgreSQL and S3 on free ports, started once per session,
and the three services as separate processes on top of them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

from ttsjobs.settings import settings_with
from ttsjobs_cli.accounts import open_accounts
from ttsjobs_cli.embedded.processes import free_port
from ttsjobs_cli.embedded.stack import Stack

ARTIFACTS = Path(os.environ.get("TTSJOBS_TEST_ARTIFACTS", "test-artifacts")).resolve()


@contextlib.contextmanager
def started_servers(data_dir: Path, *, hooks: Hooks) -> Iterator[Stack]:
    """NATS, PostgreSQL and S3 with the environment the suite's services run in, callbacks
    allowed to ``hooks`` only; stopped when the block ends."""
    stack = Stack(data_dir=data_dir, trace_to_files=True)
    stack.env["TTSJOBS_LOG_LEVEL"] = "INFO"
    # A killed worker's job comes back after ack_wait; keep that short so crash tests are quick.
    stack.env["TTSJOBS_ACK_WAIT_S"] = "4"
    # Feeds: frequent pings and a short lifetime cap, so tests can see both.
    stack.env["TTSJOBS_WS_PING_S"] = "1"
    stack.env["TTSJOBS_WS_MAX_LIFETIME_S"] = "12"
    stack.env["TTSJOBS_WS_SEND_BUFFER_LIMIT_BYTES"] = "65536"
    # The suite submits jobs in bursts as one user; the limits have a test of their own.
    stack.env["TTSJOBS_SUBMISSIONS_PER_MINUTE"] = "100000"
    stack.env["TTSJOBS_MAX_PENDING_JOBS"] = "100000"
    # The test provider too: load and fault drills run on tones.
    stack.env["TTSJOBS_PROVIDERS"] = '["kokoro", "piper", "espeak", "tone"]'
    # One kokoro process (not one per core): the suite restarts synthesis often, and each
    # process loads the model before the worker takes jobs.
    stack.env["TTSJOBS_KOKORO_PROCESSES"] = "1"
    # Callbacks may go to the suite's own receiver only; retries come quickly.
    stack.env["TTSJOBS_CALLBACK_ALLOWLIST"] = json.dumps([f"{hooks.url}/hooks/"])
    stack.env["TTSJOBS_WEBHOOK_SECRET"] = hooks.secret
    stack.env["TTSJOBS_WEBHOOK_BACKOFF_BASE_S"] = "0.2"
    stack.env["TTSJOBS_WEBHOOK_MAX_ATTEMPTS"] = "4"
    stack.start_servers()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory, hooks: Hooks) -> Iterator[Stack]:
    with started_servers(tmp_path_factory.mktemp("stack"), hooks=hooks) as stack:
        yield stack


@dataclass
class Hooks:
    """An HTTP receiver for callbacks, for the whole session: it records every request, and a
    path may be told to fail a number of times before it answers 200."""

    url: str
    secret: str = "suite-webhook-secret"
    received: list[dict] = field(default_factory=list)
    failures_left: dict[str, int] = field(default_factory=dict)

    def fail_first(self, path: str, times: int) -> None:
        self.failures_left[path] = times

    def to(self, path: str) -> list[dict]:
        return [r for r in self.received if r["path"] == path]


@contextlib.contextmanager
def receiving_hooks() -> Iterator[Hooks]:
    """A callback receiver on a free port, in a thread; stopped when the block ends."""
    port = free_port()
    hooks = Hooks(url=f"http://127.0.0.1:{port}")

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            hooks.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            left = hooks.failures_left.get(self.path, 0)
            hooks.failures_left[self.path] = left - 1
            self.send_response(500 if left > 0 else 200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def hooks() -> Iterator[Hooks]:
    """Started by the first test that needs it (every test on the stack does: the services are
    told its address), not when the suite is collected."""
    with receiving_hooks() as receiver:
        yield receiver


READER_ROLE = "ttsjobs_gateway_reader"


def _read_only_url(stack: Stack) -> str:
    """A database role that may only SELECT: the gateway runs as it, so a write would fail."""

    async def create_role() -> None:
        conn = await asyncpg.connect(stack.env["TTSJOBS_DATABASE_URL"])
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", READER_ROLE)
            if not exists:
                await conn.execute(f"CREATE ROLE {READER_ROLE} LOGIN")
            await conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER_ROLE}")
            await conn.execute(
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {READER_ROLE}"
            )
        finally:
            await conn.close()

    asyncio.run(create_role())
    parts = urlsplit(stack.env["TTSJOBS_DATABASE_URL"])
    netloc = f"{READER_ROLE}@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@contextlib.contextmanager
def running_system(servers: Stack) -> Iterator[Stack]:
    """Every service on ``servers``; stopped again (logs kept) when the block ends."""
    servers.start_service("projection")
    servers.start_service("synthesis")
    servers.start_service("notifier")
    # With an external database (TTSJOBS_DATABASE_URL set) roles are the operator's business.
    if "TTSJOBS_DATABASE_URL" not in os.environ:
        servers.env["TTSJOBS_GATEWAY_DATABASE_URL"] = _read_only_url(servers)
    gateway_db = servers.env.get(
        "TTSJOBS_GATEWAY_DATABASE_URL", servers.env["TTSJOBS_DATABASE_URL"]
    )
    servers.start_service("gateway", extra_env={"TTSJOBS_DATABASE_URL": gateway_db})
    try:
        servers.wait_ready(timeout_s=120)
        yield servers
    finally:
        for name in list(servers.services):
            servers.stop_service(name)
        _keep_service_logs(servers)


@pytest.fixture(scope="session")
def stack(servers: Stack) -> Iterator[Stack]:
    """The whole system; tests that stop a service start it again before they end."""
    with running_system(servers) as running:
        yield running


def _keep_service_logs(stack: Stack) -> None:
    folder = ARTIFACTS / stack.data_dir.name
    folder.mkdir(parents=True, exist_ok=True)
    for log in (stack.data_dir / "logs").glob("*.log"):
        (folder / log.name).write_bytes(log.read_bytes())


@dataclass(frozen=True)
class User:
    name: str
    user_id: str
    key: str
    key_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def create_user(stack: Stack, name: str) -> User:
    """A user made the way an operator makes one (`ttsjobs users create`), key applied."""

    async def create() -> User:
        async with open_accounts(settings_with(stack.env)) as accounts:
            issued = await accounts.create_user(name, label="tests")
        assert issued.applied, "the projection did not apply the new key"
        return User(name, issued.user_id, issued.key.key, issued.key.key_id)

    # In a thread of its own: the browser tests' sync playwright keeps a loop running here.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, create()).result()


@pytest.fixture(scope="session")
def alice(stack: Stack) -> User:
    """The user most tests act as."""
    return create_user(stack, "alice")


@pytest.fixture(scope="session")
def bob(stack: Stack) -> User:
    """A second user, who must never see anything of alice's."""
    return create_user(stack, "bob")


def client_of(stack: Stack, user: User) -> httpx.AsyncClient:
    """An API client of the gateway that calls as ``user``."""
    return httpx.AsyncClient(base_url=stack.gateway_url, timeout=30, headers=user.headers)


@pytest.fixture
async def api(stack: Stack, alice: User) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(stack, alice) as client:
        yield client


@pytest.fixture
async def bob_api(stack: Stack, bob: User) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(stack, bob) as client:
        yield client


@pytest.fixture
async def js(servers: Stack):
    import nats

    nc = await nats.connect(servers.env["TTSJOBS_NATS_URL"])
    try:
        yield nc.jetstream()
    finally:
        await nc.close()


@pytest.fixture
async def db(servers: Stack) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(servers.env["TTSJOBS_DATABASE_URL"])
    try:
        yield conn
    finally:
        await conn.close()


async def eventually(
    check: Callable[[], Awaitable[object]],
    *,
    timeout_s: float = 30.0,
    what: str = "condition",
    interval_s: float = 0.05,
):
    """Poll ``check`` until it returns something truthy, or fail after the deadline.

    A long job is polled less often (``interval_s``): reading a 20,000-character job twenty
    times a second would load the gateway the test is measuring."""
    deadline = time.monotonic() + timeout_s
    last: object = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval_s)
    raise AssertionError(f"{what} not reached within {timeout_s}s (last: {last!r})")


def eventually_sync(
    check: Callable[[], object],
    *,
    timeout_s: float = 30.0,
    what: str = "condition",
    interval_s: float = 0.05,
):
    """``eventually`` for code that cannot await: sync fixtures, browser tests, `ttsjobs dev`."""
    deadline = time.monotonic() + timeout_s
    last: object = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval_s)
    raise AssertionError(f"{what} not reached within {timeout_s}s (last: {last!r})")
