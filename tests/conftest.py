"""Test session fixtures: real NATS, PostgreSQL and S3 on free ports, started once per session,
and the three services as separate processes on top of them."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from ttsjobs.embedded.stack import Stack

ARTIFACTS = Path(os.environ.get("TTSJOBS_TEST_ARTIFACTS", "test-artifacts")).resolve()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(data_dir=tmp_path_factory.mktemp("stack"))
    stack.env["TTSJOBS_LOG_LEVEL"] = "INFO"
    stack.start_servers()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def stack(servers: Stack) -> Iterator[Stack]:
    """The whole system; tests that stop a service start it again before they end."""
    servers.start_services()
    try:
        servers.wait_ready(timeout_s=120)
        yield servers
    finally:
        for name in list(servers.services):
            servers.stop_service(name)
        _keep_service_logs(servers)


def _keep_service_logs(stack: Stack) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for log in (stack.data_dir / "logs").glob("*.log"):
        (ARTIFACTS / log.name).write_bytes(log.read_bytes())


@pytest.fixture
async def api(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client:
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
    check: Callable[[], Awaitable[object]], *, timeout_s: float = 30.0, what: str = "condition"
):
    """Poll ``check`` until it returns something truthy, or fail after the deadline."""
    deadline = time.monotonic() + timeout_s
    last: object = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what} not reached within {timeout_s}s (last: {last!r})")
