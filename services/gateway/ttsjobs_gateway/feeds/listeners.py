"""A feed's place at the fan-out (``Listener``): its events queue up until the feed is live,
then go to it directly if its connection takes frames (``DirectFeed``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

from ttsjobs.aio.queues import next_and_waiting
from ttsjobs_gateway.feeds.frames import Frames, Relayed

# A client this far behind is cut off (it can resume with after=<seq>): one slow browser tab
# must not grow the gateway's memory without bound.
QUEUE_LIMIT = 1_000


class SlowConsumer(Exception):
    """The client fell too far behind: QUEUE_LIMIT events queued while its feed started, or
    more than the feed's send buffer limit left unread once live."""


class DirectFeed(Protocol):
    """A live feed the fan-out writes to itself, in its own task (``Listener.go_direct``)."""

    def deliver(self, items: list[Relayed], frames: Frames) -> None: ...

    def stop(self) -> None:
        """No more writes: the fan-out stopped, or the feed is closing."""


@dataclass(eq=False)
class Listener:
    """A feed's place at the fan-out: its events queue up until the feed is live, and then, if
    its connection takes frames, the fan-out hands them to the feed directly."""

    job_id: str | None  # None: every job of ``user_id``
    user_id: str
    queue: asyncio.Queue[Relayed | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_LIMIT)
    )
    overflowed: bool = False
    direct: DirectFeed | None = None

    def offer(self, items: list[Relayed], frames: Frames) -> None:
        if self.direct is not None:
            self.direct.deliver(items, frames)
            return
        for item in items:
            try:
                self.queue.put_nowait(item)
            except asyncio.QueueFull:
                self.overflowed = True

    def go_direct(self, direct: DirectFeed) -> None:
        """Hand ``direct`` what has queued up, then everything the fan-out brings next. Nothing
        is awaited in between, so no event can come between the two."""
        taken: list[Relayed] = []
        stopped = False
        while not self.queue.empty():
            item = self.queue.get_nowait()
            if item is None:
                stopped = True
                break
            taken.append(item)
        if self.overflowed:
            raise SlowConsumer
        if taken:
            direct.deliver(taken, Frames())
        if stopped:
            direct.stop()
        self.direct = direct

    def fan_out_stopped(self) -> None:
        if self.direct is not None:
            self.direct.stop()
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)  # tells a feed reading the queue to close


async def live(listener: Listener, *, after_seq: int) -> AsyncIterator[list[Relayed]]:
    """The listener's queued events past ``after_seq``, in order, as many at a time as have
    queued up since the last were taken; ends when the fan-out stops."""
    while True:
        taken = await next_and_waiting(listener.queue)
        if listener.overflowed:
            raise SlowConsumer
        ended = None in taken
        if ended:
            taken = taken[: taken.index(None)]
        batch = [item for item in taken if item is not None and item.seq > after_seq]
        if batch:
            yield batch
        if ended:
            return
