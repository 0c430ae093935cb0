"""Batched direct gets: every message of a subject filter from a sequence on, or the newest of
each subject it matches, in one request.

nats-py's ``get_msg`` fetches one message per round trip, so reading a job's history of n
events took n + 1 of them. nats-server (2.11 on) answers a direct get with ``batch`` by sending
the messages one after another, then ``204 EOB`` with how many matching messages remain (the
batch may be cut short by its size), or ``404`` when none matched.

Each request has its own reply subject under one wildcard subscription, so concurrent reads on
one connection never see each other's answers.
"""

from __future__ import annotations

import asyncio
import itertools
import json

from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.errors import APIError

# Messages per request: a typical job's whole history; a long text's takes a few requests.
BATCH = 256
TIMEOUT_S = 5.0
END_OF_BATCH, NOT_FOUND, NO_RESPONDERS = "204", "404", "503"


class BatchGet:
    def __init__(self, js: JetStreamContext, stream: str) -> None:
        # The context keeps its connection private; a subscription needs it.
        self._nc = js._nc
        self._subject = f"{js._prefix}.DIRECT.GET.{stream}"
        self._inbox = self._nc.new_inbox()
        self._tokens = itertools.count()
        self._answers: dict[str, asyncio.Queue[Msg]] = {}
        self._sub: Subscription | None = None
        self._subscribing = asyncio.Lock()

    async def read(
        self, filter_subject: str, *, from_seq: int
    ) -> tuple[list[tuple[int, bytes]], bool]:
        """(sequence, payload) of the matching messages from ``from_seq`` on, and whether more
        remain beyond this batch."""
        found, more = await self._ask({"seq": from_seq, "next_by_subj": filter_subject})
        return [(int((m.headers or {})["Nats-Sequence"]), m.data) for m in found], more

    async def last_of_each(self, filter_subject: str) -> list[Msg]:
        """The newest message of every subject the filter matches (a key-value bucket's keys
        under a prefix, delete markers included), in one request."""
        found, _ = await self._ask({"multi_last": [filter_subject]})
        return found

    async def _ask(self, request: dict[str, object]) -> tuple[list[Msg], bool]:
        await self._subscribed()
        reply = f"{self._inbox}.{next(self._tokens)}"
        answers: asyncio.Queue[Msg] = asyncio.Queue()
        self._answers[reply] = answers
        try:
            ask = json.dumps(request | {"batch": BATCH}).encode()
            await self._nc.publish(self._subject, ask, reply=reply)
            found: list[Msg] = []
            while True:
                try:
                    async with asyncio.timeout(TIMEOUT_S):
                        msg = await answers.get()
                except TimeoutError:
                    raise NatsTimeoutError from None
                headers = msg.headers or {}
                status = headers.get("Status")
                if status is None:
                    found.append(msg)
                elif status == END_OF_BATCH:
                    return found, int(headers.get("Nats-Num-Pending", "0")) > 0
                elif status == NOT_FOUND:
                    return found, False
                elif status == NO_RESPONDERS:
                    raise NoRespondersError
                else:
                    raise APIError(code=int(status), description=headers.get("Description"))
        finally:
            del self._answers[reply]

    async def _subscribed(self) -> None:
        if self._sub is not None:
            return
        async with self._subscribing:
            if self._sub is None:
                self._sub = await self._nc.subscribe(f"{self._inbox}.*", cb=self._route)

    async def _route(self, msg: Msg) -> None:
        answers = self._answers.get(msg.subject)
        if answers is not None:  # else a request that already gave up
            answers.put_nowait(msg)
