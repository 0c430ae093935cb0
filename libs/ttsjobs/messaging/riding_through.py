"""Riding through a NATS election inside one request.

When the node that leads a stream or a KV bucket dies, JetStream elects another once the
followers' election timeout has passed (4-9 s in nats-server), and meanwhile every request to
it times out or finds no responder. A caller that can repeat its request safely (a publish
with its Nats-Msg-Id and an expected last sequence, a KV create that recognises its own
record) repeats it here until a deadline, so that the election makes the request slower
instead of failing it. Past the deadline the last error is raised, and the caller answers
"not done, retry" as before.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog

from ttsjobs.messaging.publisher import NATS_UNAVAILABLE

log = structlog.get_logger()

T = TypeVar("T")

FIRST_WAIT_S = 0.1
LONGEST_WAIT_S = 0.5


def deadline_in(budget_s: float, *, clock: Callable[[], float] = time.monotonic) -> float:
    """The deadline ``riding_through`` takes: one per request, shared by its NATS calls."""
    return clock() + budget_s


async def riding_through(
    attempt: Callable[[], Awaitable[T]],
    *,
    deadline: float,
    attempt_s: float,
    what: str,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``attempt()`` until it returns, repeated while NATS is unavailable, never starting an
    attempt that could end (``attempt_s``, its own timeout) past ``deadline`` (``clock``'s)."""
    wait = FIRST_WAIT_S
    tries = 0
    while True:
        tries += 1
        try:
            result = await attempt()
        except NATS_UNAVAILABLE as err:
            if clock() + wait + attempt_s > deadline:
                raise
            log.info("nats.riding_through", what=what, attempt=tries, error=type(err).__name__)
            await asyncio.sleep(wait)
            wait = min(wait * 2, LONGEST_WAIT_S)
            continue
        if tries > 1:
            log.info("nats.rode_through", what=what, attempts=tries)
        return result
