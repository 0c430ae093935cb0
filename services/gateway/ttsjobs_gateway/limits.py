"""Request limits at the gateway: body size (413 before parsing), the counts of a dialogue
(422 before it is validated) and job creation per user (429 with Retry-After), each answered
as application/problem+json."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ttsjobs.contracts.job_request import FieldProblem, RequestLimits, turn_count_problem
from ttsjobs_gateway.errors import PayloadTooLarge, TooManyRequests, render


class BodyTooLarge:
    """Read the whole body, within the limit, before the app sees any of it.

    A declared Content-Length over the limit is refused before a byte is read; a streamed
    (chunked) body as soon as it passes the limit. The app is only called once the body is
    complete and within the limit: a handler that ran on a cut-off body could act (publish a
    job) before its answer was replaced by a 413, so a refusal would not mean "nothing done".
    """

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
        body = await self._read(receive)
        if body is None:
            await self._refuse(scope, receive, send)
            return
        if not isinstance(body, bytes):  # the client went away mid-body: nothing to answer
            return
        await self.app(scope, replayed(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | Message | None:
        """The body; None when it passes the limit; the disconnect message if one came."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return message
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused = PayloadTooLarge(f"at most {self.max_bytes} bytes", max_bytes=self.max_bytes)
        await render(refused, scope["path"])(scope, receive, send)


def dialogue_count_problems(data: Any, limits: RequestLimits) -> list[FieldProblem]:
    """A dialogue's turn count, read from its parsed JSON before a turn of it is validated: a
    body of 40,000 one-word turns is refused for its count, not after 40,000 validations.
    (Unused voice_assignments are counted after validation, with their names.)"""
    turns = data.get("turns") if isinstance(data, dict) else None
    if isinstance(turns, list) and len(turns) > limits.max_turns:
        return [turn_count_problem(len(turns), limits)]
    return []


def replayed(body: bytes, receive: Receive) -> Receive:
    """``receive`` that gives ``body`` once more, as one message, then what comes after it
    (only http.disconnect can)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


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
