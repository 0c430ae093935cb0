"""Fetching from a durable pull consumer, the same for both runners.

A timeout means nothing is queued. While nats-server restarts or a JetStream cluster elects a
leader, fetch fails with 503s and closed-connection errors: that is a pause, not the end, so
the fetcher waits (doubling, up to 5 s) and the runner fetches again.
"""

from __future__ import annotations

import asyncio

import structlog
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.errors import APIError as JetStreamAPIError

log = structlog.get_logger()


class Fetcher:
    def __init__(self, sub: JetStreamContext.PullSubscription) -> None:
        self._sub = sub
        self._failures = 0

    async def __call__(self, batch: int, wait_s: float) -> list[Msg] | None:
        """Up to ``batch`` messages; None when none came in time, [] after a server error."""
        try:
            msgs = await self._sub.fetch(batch, timeout=wait_s)
        except (TimeoutError, NatsTimeoutError):
            return None
        except (NatsError, JetStreamAPIError) as err:
            self._failures += 1
            delay = min(5.0, 0.1 * 2**self._failures)
            log.warning("consumer.fetch_failed", error=repr(err), retry_in_s=delay)
            await asyncio.sleep(delay)
            return []
        self._failures = 0
        return msgs
