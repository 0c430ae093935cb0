"""Start-up waits: services may start before NATS, PostgreSQL or S3 answer (compose, k8s)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog

log = structlog.get_logger()
T = TypeVar("T")


async def with_retries(
    attempt: Callable[[], Awaitable[T]], *, what: str, timeout_s: float = 60.0
) -> T:
    deadline = time.monotonic() + timeout_s
    delay = 0.1
    while True:
        try:
            return await attempt()
        except Exception as err:
            if time.monotonic() + delay > deadline:
                raise
            log.info("startup.waiting", dependency=what, error=str(err)[:200], retry_in_s=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
