"""One NATS connection per service, with reconnects that outlast a server restart."""

from __future__ import annotations

import nats
import structlog
from nats.aio.client import Client

log = structlog.get_logger()


async def connect_nats(url: str, *, name: str) -> Client:
    async def on_disconnect() -> None:
        log.warning("nats.disconnected")

    async def on_reconnect() -> None:
        log.info("nats.reconnected")

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
