"""Live job events for the WebSocket feeds: the fan-out, a consumer of the gateway's tap.

The tap (``ttsjobs_gateway.live``) hands every job event here; the fan-out passes each to the
feeds that follow its job or its owner, in rounds: whatever arrived while the last round was
being handed out goes out together. No feed polls the database. A feed registers *before* it
reads the current state, so an event is either in the state it sends first or in its queue
afterwards: nothing is lost between the two, and anything at or below the state's sequence is
dropped, so nothing is repeated. Every message carries the event's stream sequence; a client
that comes back with ``after=<seq>`` is sent what it missed from the stream (replay.py), then
the live events.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator

import structlog

from ttsjobs.aio.queues import next_and_waiting
from ttsjobs.aio.tasks import stop_task
from ttsjobs_gateway.feeds.frames import Frames, Relayed
from ttsjobs_gateway.feeds.listeners import Listener
from ttsjobs_gateway.live.job_tap import Tapped

log = structlog.get_logger()

# A round is handed out without a pause for up to this long; then other work gets a turn.
# Long enough for a thousand feeds: a pause lets the feeds that just finished close first,
# ahead of the rest of the round.
ROUND_SLICE_S = 0.05


class FanOut:
    def __init__(self) -> None:
        self._by_job: dict[str, set[Listener]] = {}
        self._by_user: dict[str, set[Listener]] = {}
        self._pending: asyncio.Queue[Relayed] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._rounds())

    async def stop(self) -> None:
        if self._task is not None:
            await stop_task(self._task)
        for listeners in [*self._by_job.values(), *self._by_user.values()]:
            for listener in listeners:
                listener.fan_out_stopped()

    def tapped(self, item: Tapped) -> None:
        if not (item.job_id in self._by_job or self._by_user):
            # Nobody here follows it: not decoded. A feed that starts later reads it from the
            # stream, since each feed listens before it reads what it shows first.
            return
        event = item.event
        if event is not None:
            self._pending.put_nowait(Relayed(item.seq, event))

    async def _rounds(self) -> None:
        while True:
            await self._hand_out(await next_and_waiting(self._pending))

    async def _hand_out(self, items: list[Relayed]) -> None:
        """One round: each feed is offered, at once, the round's events it follows."""
        offers = [
            *_offers(self._by_job, _grouped(items, lambda item: item.event.subject)),
            # Every event names the job's owner, so a user's feed needs no lookup.
            *_offers(self._by_user, _grouped(items, lambda item: item.event.data.user_id)),
        ]
        frames = Frames()
        slice_ends = time.monotonic() + ROUND_SLICE_S
        for listener, theirs in offers:
            try:
                listener.offer(theirs, frames)
            except Exception:
                log.exception("fan_out.offer_failed", job_id=listener.job_id)
            if time.monotonic() > slice_ends:
                await asyncio.sleep(0)
                slice_ends = time.monotonic() + ROUND_SLICE_S

    @contextlib.contextmanager
    def listen(self, listener: Listener) -> Iterator[Listener]:
        index = self._by_job if listener.job_id else self._by_user
        key = listener.job_id or listener.user_id
        index.setdefault(key, set()).add(listener)
        try:
            yield listener
        finally:
            index[key].discard(listener)
            if not index[key]:
                del index[key]


def _grouped(items: list[Relayed], key: Callable[[Relayed], str]) -> dict[str, list[Relayed]]:
    groups: dict[str, list[Relayed]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _offers(
    index: dict[str, set[Listener]], groups: dict[str, list[Relayed]]
) -> list[tuple[Listener, list[Relayed]]]:
    # A list, not a generator: feeds come and go while a round pauses.
    return [(listener, items) for key, items in groups.items() for listener in index.get(key, ())]
