"""One NATS connection per service, with reconnects that outlast a server restart.

The URL may name a cluster's nodes, comma-separated: the client connects to any of them and
reconnects to any other when its node is lost (nats-py also learns the cluster's other nodes
from the server it reaches).

Core subscriptions and durable pull consumers come back by themselves after a reconnect. Push
subscriptions on ephemeral consumers (a gateway's live relay, a KV watcher) do not survive a
server restart, so their owners register a ``reconnected`` hook that sets them up again.

A connection made with ``buffer_while_disconnected=False`` (the gateway's) never sends a publish
later than its caller waited for it: see ``_drop_unsent``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from nats.aio.client import DEFAULT_PENDING_SIZE, Client

from ttsjobs.settings import nats_servers
from ttsjobs.startup import with_retries

log = structlog.get_logger()


Hook = Callable[[], Awaitable[None]]


async def connect_nats(
    url: str,
    *,
    name: str,
    reconnected: list[Hook] | None = None,
    buffer_while_disconnected: bool = True,
) -> Client:
    """``url``: one NATS URL, or several comma-separated (nodes of one cluster).

    ``reconnected``: hooks run (each in a task of its own, retried until JetStream answers)
    after every reconnect; the list may be filled after the connection is made.

    ``buffer_while_disconnected=False``: a publish while the connection is down fails at once
    (``OutboundBufferLimitError``) instead of waiting in the client for the server to return,
    and whatever was queued but unsent when the connection dropped is discarded. For a caller
    that answers someone "not done" when a publish is not confirmed in time: by then the
    publish must be dead, not parked until the server comes back.
    """
    hooks = reconnected if reconnected is not None else []
    running: set[asyncio.Task[None]] = set()
    nc = Client()

    async def on_disconnect() -> None:
        if nc.is_closed:  # our own close or drain (a clean stop): nothing went wrong
            log.info("nats.closed")
            return
        log.warning("nats.disconnected")
        if not buffer_while_disconnected:
            _drop_unsent(nc)

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

    await nc.connect(
        servers=nats_servers(url),
        name=name,
        max_reconnect_attempts=-1,
        # nats-py annotates these seconds as int; it sleeps on them, so a float is fine.
        reconnect_time_wait=0.5,  # type: ignore[arg-type]
        # A node that stops answering (frozen, cut off from us) is given up after about
        # (2 + 1) × 1.5 s and another node of the list is tried. nats-py's default notices
        # only after minutes, which a client stuck to a frozen node spends failing.
        ping_interval=1.5,  # type: ignore[arg-type]
        max_outstanding_pings=2,
        # 0 turns the reconnect buffer off: publish() refuses while not connected.
        pending_size=DEFAULT_PENDING_SIZE if buffer_while_disconnected else 0,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
        error_cb=on_error,
    )
    return nc


def _drop_unsent(nc: Client) -> None:
    """Forget commands queued for the old connection but never written to it.

    nats-py keeps its outbound queue across a reconnect and writes it to the new connection
    (``_attempt_reconnect`` leaves ``_pending`` alone; the first flush after it sends it). A
    publish queued just before the drop, or behind a socket that stopped draining, would so
    reach the server minutes after its caller gave up and answered "not done". The callback
    runs after the old transport is closed and before the new one exists, so nothing else
    touches the queue meanwhile. Subscriptions are not lost with it: the client replays every
    subscription from its own table on reconnect. The attribute is private, so its absence
    (another nats-py) is logged rather than ignored.
    """
    pending = getattr(nc, "_pending", None)
    if pending is None or not hasattr(nc, "_pending_data_size"):
        log.error("nats.unsent_not_dropped", reason="nats-py has no _pending queue")
        return
    if pending:
        log.warning("nats.unsent_dropped", commands=len(pending), bytes=nc._pending_data_size)
    nc._pending = []
    nc._pending_data_size = 0
