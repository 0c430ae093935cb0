"""One NATS connection per service, with reconnects that outlast a server restart.

Core subscriptions and durable pull consumers come back by themselves after a reconnect. Push
subscriptions on ephemeral consumers (a gateway's live relay, a KV watcher) do not survive a
server restart, so their owners register a ``reconnected`` hook that sets them up again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import nats
import structlog
from nats.aio.client import Client

from ttsjobs.startup import with_retries

log = structlog.get_logger()


Hook = Callable[[], Awaitable[None]]


async def connect_nats(url: str, *, name: str, reconnected: list[Hook] | None = None) -> Client:
    """``reconnected``: hooks run (each in a task of its own, retried until JetStream answers)
    after every reconnect; the list may be filled after the connection is made."""
    hooks = reconnected if reconnected is not None else []
    running: set[asyncio.Task] = set()

    async def on_disconnect() -> None:
        log.warning("nats.disconnected")

    async def on_reconnect() -> None:
        log.info("nats.reconnected")
        for hook in list(hooks):
            # Not awaited here: the client's own reconnect flow must not wait on JetStream.
            task = asyncio.create_task(
                with_retries(hook, what="nats after a reconnect", timeout_s=120)
            )
            running.add(task)
            task.add_done_callback(running.discard)

    async def on_error(err: Exception) -> None:
        log.warning("nats.error", error=str(err))

    return await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
        error_cb=on_error,
    )
