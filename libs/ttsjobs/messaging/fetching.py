"""Pull requests to a durable consumer, the same for both runners, each followed to its end.

Why not nats-py's ``fetch``: it gives up on a request at its own deadline while the server may
still be holding it, and whatever the server delivers in between sits in the subscription. A
runner that stopped then left those messages unacked; the next process found them pending and
had to wait a whole ack_wait before the server handed them out again. Here every request carries
its own reply token, so its end is known from the server's word (``404`` once caught up, ``408``
at expiry, ``409`` when refused), and ``close()`` waits for that end and returns whatever came
with it.

One request is open at a time. It is sent with ``no_wait`` and ``expires``: the server holds it
while nothing is queued, delivers what arrives and ends it as soon as the consumer is caught up,
so a fetch returns as soon as there is something rather than at its deadline.

While nats-server restarts or a JetStream cluster elects a leader, requests go unanswered or
are refused: that is a pause, not the end, so the fetcher waits (doubling, up to 5 s) and the
runner fetches again. A request the server never ends (it restarted) counts as ended one grace
period after its expiry.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import deque

import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import Error as NatsError
from nats.js import JetStreamContext

log = structlog.get_logger()

# After a request's expiry, how long its end may take to arrive before it is taken as lost.
END_GRACE_S = 1.0
NO_MESSAGES, REQUEST_TIMEOUT = "404", "408"


class Fetcher:
    def __init__(self, nc: Client, next_subject: str, inbox: str, sub: Subscription) -> None:
        self._nc = nc
        self._next_subject = next_subject
        self._inbox = inbox
        self._tokens = itertools.count()
        self._sub = sub
        self._arrived = _Inbox(sub)
        self._ready: deque[Msg] = deque()  # delivered, not yet handed to the runner
        self._open: str | None = None  # the reply subject of the request the server still holds
        self._open_left = 0  # messages the open request may still bring
        self._open_until = 0.0
        self._failures = 0

    @classmethod
    async def bind(cls, js: JetStreamContext, *, stream: str, durable: str) -> Fetcher:
        # The context keeps its connection private; the fetcher needs it to subscribe.
        nc = js._nc
        inbox = nc.new_inbox()
        sub = await nc.subscribe(f"{inbox}.*")
        return cls(nc, f"{js._prefix}.CONSUMER.MSG.NEXT.{stream}.{durable}", inbox, sub)

    async def __call__(self, batch: int, wait_s: float) -> list[Msg] | None:
        """Up to ``batch`` messages; None when none came in time, [] after a server error."""
        if not self._ready and self._open is None:
            try:
                await self._request(batch, wait_s)
            except NatsError as err:
                return await self._pause(repr(err))
        deadline = time.monotonic() + wait_s
        # Until the first message, the request's end or the deadline; then until the request
        # ends, which the server says as soon as the consumer is caught up.
        while self._open is not None and len(self._ready) < batch:
            refused = await self._take_one(until=deadline)
            if refused is not None:
                return await self._pause(refused)
            if time.monotonic() >= deadline and self._arrived.empty():
                break
        if not self._ready:
            return None
        self._failures = 0
        return [self._ready.popleft() for _ in range(min(batch, len(self._ready)))]

    async def close(self) -> list[Msg]:
        """Wait for the open request to end; returns what it delivered that nobody took yet.
        Those messages are this consumer's: settle them (or hand them back) before going."""
        while self._open is not None:
            await self._take_one(until=self._open_until)
        with contextlib.suppress(Exception):
            await self._sub.unsubscribe()
        left, self._ready = list(self._ready), deque()
        return left

    async def _request(self, batch: int, wait_s: float) -> None:
        reply = f"{self._inbox}.{next(self._tokens)}"
        ask = {"batch": batch, "expires": int(wait_s * 1e9), "no_wait": True}
        await self._nc.publish(self._next_subject, json.dumps(ask).encode(), reply=reply)
        self._open, self._open_left = reply, batch
        self._open_until = time.monotonic() + wait_s + END_GRACE_S

    async def _take_one(self, *, until: float) -> str | None:
        """Wait until ``until`` for one arrival: a message goes to ``ready``; a status may end
        the open request. Returns the server's refusal of it, if that is what came."""
        try:
            if self._arrived.empty():
                wait = min(until, self._open_until) - time.monotonic()
                async with asyncio.timeout(max(wait, 0.0)):
                    msg = await self._arrived.get()
            else:
                msg = self._arrived.get_nowait()
        except TimeoutError:
            if time.monotonic() >= self._open_until:
                self._open = None  # never ended: the server lost it (it restarted)
            return None
        headers = msg.headers or {}
        status = headers.get("Status")
        if status is None:
            self._ready.append(msg)
            self._open_left -= 1
            if self._open_left <= 0:
                self._open = None  # a full batch ends a request without a word
            return None
        if msg.subject != self._open:
            return None  # the end of a request already taken as lost
        self._open = None
        if status in (NO_MESSAGES, REQUEST_TIMEOUT):
            return None
        return f"{status} {headers.get('Description', '')}".strip()

    async def _pause(self, why: str) -> list[Msg]:
        self._failures += 1
        delay = min(5.0, 0.1 * 2**self._failures)
        log.warning("consumer.fetch_failed", error=why, retry_in_s=delay)
        await asyncio.sleep(delay)
        return []


class _Inbox:
    """The fetcher's subscription, read straight from its queue. nats-py's ``next_msg`` makes a
    task, a uuid and a ``wait_for`` per message, and a callback adds a task's hop and a second
    queue: a tenth of a catch-up's CPU. The byte count and ``task_done`` are kept as
    ``next_msg`` keeps them (the slow-consumer limit and a drain rely on them)."""

    def __init__(self, sub: Subscription) -> None:
        self._sub = sub
        self._queue: asyncio.Queue[Msg] = sub._pending_queue

    def empty(self) -> bool:
        return self._queue.empty()

    def get_nowait(self) -> Msg:
        return self._took(self._queue.get_nowait())

    async def get(self) -> Msg:
        return self._took(await self._queue.get())

    def _took(self, msg: Msg) -> Msg:
        self._sub._pending_size -= len(msg.data)
        self._queue.task_done()
        return msg
