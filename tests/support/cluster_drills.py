"""The cluster drills' load: a steady burst of tone jobs (each with text of its own) and a few
kokoro jobs, sent by client tasks to the gateways in turn. Every POST carries its own
Idempotency-Key and is retried with it as a careful client does (contract 4 of issue 33), so a
dead gateway or a leader election may delay a job but never lose or double it.

Each attempt of each POST is recorded as the client saw it (when it was sent, when and how it
ended), so the checks in tests/support/drill_invariants.py can say which jobs a client was told
about, and the report how long POSTs failed and how slow they were."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.jobs import SUBMIT
from ttsjobs_cli.retrying import post_retrying

KEY = "Idempotency-Key"
# The title carries the key, so the stream shows which key each JobCreated came from.
TITLE_PREFIX = "drill "


@dataclass(frozen=True)
class Attempt:
    sent: float  # wall-clock seconds, comparable with the events' times
    ended: float
    outcome: str  # the status code, or the transport error's name

    @property
    def failed(self) -> bool:
        return self.outcome != "202"


@dataclass
class Post:
    key: str
    provider: str
    sent: float
    answered: float | None = None
    status: int | None = None
    job_id: str | None = None
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def latency_s(self) -> float | None:
        return None if self.answered is None else self.answered - self.sent


class Gateways(httpx.AsyncBaseTransport):
    """Sends each request to the next gateway in turn, as a front would spread them (so a retry
    after a dead gateway reaches a live one), and records every attempt of a keyed request."""

    def __init__(self, urls: list[str]) -> None:
        self._urls = [httpx.URL(u) for u in urls]
        self._turn = itertools.count()
        self._inner = httpx.AsyncHTTPTransport()
        self.attempts: dict[str, list[Attempt]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = self._urls[next(self._turn) % len(self._urls)]
        request.url = request.url.copy_with(host=target.host, port=target.port)
        request.headers["host"] = f"{target.host}:{target.port}"
        key, sent = request.headers.get(KEY), time.time()
        try:
            response = await self._inner.handle_async_request(request)
        except httpx.TransportError as err:
            self._record(key, Attempt(sent, time.time(), type(err).__name__))
            raise
        self._record(key, Attempt(sent, time.time(), str(response.status_code)))
        return response

    def _record(self, key: str | None, attempt: Attempt) -> None:
        if key is not None:
            self.attempts.setdefault(key, []).append(attempt)

    async def aclose(self) -> None:
        await self._inner.aclose()


def tone_job(key: str, *, turns: int = 2) -> dict[str, Any]:
    """Short, and unlike every other: its text holds the key, so no cached turn makes it a
    rerun of another job."""
    lines = [
        {"speaker": "A" if i % 2 == 0 else "B", "text": f"{key} turn {i}"} for i in range(turns)
    ]
    voices = {"A": {"voice": "mid"}, "B": {"voice": "high"}}
    return {"provider": "tone", "title": TITLE_PREFIX + key, "turns": lines,
            "voice_assignments": {t["speaker"]: voices[t["speaker"]] for t in lines}}  # fmt: skip


def kokoro_job(key: str) -> dict[str, Any]:
    return {"provider": "kokoro", "title": TITLE_PREFIX + key,
            "turns": [{"speaker": "A", "text": f"Drill number {key[-4:]} says hello."}],
            "voice_assignments": {"A": {"voice": "af_heart"}}}  # fmt: skip


@dataclass
class Burst:
    """What a burst sent; ``fault_at`` is when the drill broke something (wall clock)."""

    run: str
    posts: list[Post] = field(default_factory=list)
    fault_at: float | None = None
    stopped: asyncio.Event = field(default_factory=asyncio.Event)

    def mark_fault(self) -> None:
        self.fault_at = time.time()

    def answered(self) -> int:
        return sum(p.status is not None for p in self.posts)

    async def until_answered(self, more: int, *, timeout_s: float = 60) -> None:
        """Wait until ``more`` further POSTs have their answer: the burst goes on meanwhile."""
        target, deadline = self.answered() + more, time.monotonic() + timeout_s
        while self.answered() < target:
            assert time.monotonic() < deadline, f"{more} more POSTs not answered in {timeout_s}s"
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def steady_burst(
    urls: list[str],
    headers: dict[str, str],
    *,
    clients: int = 4,
    pause_s: float = 0.25,
    kokoro_every: int = 40,
) -> AsyncIterator[Burst]:
    """``clients`` tasks, each sending a job, then pausing ``pause_s``, until the block ends;
    every ``kokoro_every``-th job is a kokoro one. On leaving, the POSTs under way finish
    (retries included) before the burst's record is complete."""
    burst = Burst(run=uuid.uuid4().hex[:8])
    transport = Gateways(urls)
    numbers = itertools.count()
    async with httpx.AsyncClient(
        # The CLI's timeout: a POST held through an election is answered within it.
        transport=transport,
        base_url=urls[0],
        headers=headers,
        timeout=30,
    ) as client:

        async def one_client() -> None:
            while not burst.stopped.is_set():
                n = next(numbers)
                key = f"{burst.run}-{n:05d}"
                kokoro = kokoro_every and n % kokoro_every == kokoro_every - 1
                body = kokoro_job(key) if kokoro else tone_job(key)
                post = Post(key, body["provider"], sent=time.time())
                burst.posts.append(post)
                with contextlib.suppress(httpx.TransportError):
                    response = await post_retrying(client, SUBMIT, json=body, key=key)
                    post.status, post.answered = response.status_code, time.time()
                    if response.status_code == 202:
                        post.job_id = response.json()["id"]
                post.attempts = transport.attempts.get(key, [])
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(burst.stopped.wait(), pause_s)

        tasks = [asyncio.create_task(one_client()) for _ in range(clients)]
        try:
            yield burst
        finally:
            burst.stopped.set()
            await asyncio.gather(*tasks)
