"""Request limits at the gateway: body size (413 before parsing) and job creation per user
(429 with Retry-After), each answered as application/problem+json."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ttsjobs_gateway.errors import PayloadTooLarge, TooManyRequests, render


class BodyTooLarge:
    """Refuse a body over the limit: a declared Content-Length before reading a byte of it,
    a streamed (chunked) one as soon as it passes the limit, either way before parsing."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        exceeded = False

        async def counted() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Stop reading: the app sees a cut-off body, and its answer is replaced.
                    exceeded = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def guarded(message: Message) -> None:
            if not exceeded:
                await send(message)
            elif message["type"] == "http.response.start":
                await self._refuse(scope, receive, send)

        await self.app(scope, counted, guarded)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused = PayloadTooLarge(f"at most {self.max_bytes} bytes", max_bytes=self.max_bytes)
        await render(refused, scope["path"])(scope, receive, send)


@dataclass
class SubmissionRate:
    """A token bucket per user: ``per_minute`` jobs a minute, in bursts up to that many."""

    per_minute: int
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, user_id: str) -> None:
        now = time.monotonic()
        capacity = float(self.per_minute)
        tokens, at = self._buckets.get(user_id, (capacity, now))
        tokens = min(capacity, tokens + (now - at) * self.per_minute / 60)
        if tokens < 1:
            wait = math.ceil((1 - tokens) * 60 / self.per_minute)
            raise TooManyRequests(
                f"at most {self.per_minute} jobs a minute; try again in {wait} s",
                headers={"Retry-After": str(wait)},
            )
        self._buckets[user_id] = (tokens - 1, now)
