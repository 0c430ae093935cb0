"""The messages a fair runner holds before their turn, grouped by key in a ``FairQueue``.

To see another user's message behind one user's backlog, a runner has to take delivery of the
backlog: a pull consumer hands messages out in stream order only. So it may hold thousands
(its fair window). Held messages keep their event, decoded, while the bodies kept add up to
at most ``keep_bytes``; past that a held message keeps only what scheduling and acking need
(its key, and the ``Msg`` without its body: reply subject, sequence, headers), and its event
is read again from the stream (one direct get) when it starts. A JobCreated may carry a
megabyte of text, and a few thousand such bodies would be gigabytes; a short job's is about a
kilobyte, so a backlog of those keeps every body and costs no second read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ttsjobs.messaging.event_families import E
from ttsjobs.messaging.fair_queue import FairQueue, Load


@dataclass
class Held(Generic[E]):
    msg: Msg
    event: E | None  # None: let go of; read again from the stream when it starts
    size: int = 0  # bytes of the body kept with the event


class HeldMessages(Generic[E]):
    def __init__(self, *, keep_bytes: int) -> None:
        self._queue: FairQueue[Held[E]] = FairQueue()
        self._keep_bytes = keep_bytes
        self._kept_bytes = 0

    def __len__(self) -> int:
        return len(self._queue)

    def __iter__(self) -> Iterator[Held[E]]:
        return iter(self._queue)

    def push(self, key: str, msg: Msg, event: E) -> None:
        size = len(msg.data)
        if self._kept_bytes + size > self._keep_bytes:
            msg.data = b""  # the body is in the stream; the sequence finds it again
            self._queue.push(key, Held(msg, None))
        else:
            self._kept_bytes += size
            self._queue.push(key, Held(msg, event, size))

    def push_front(self, key: str, held: Held[E]) -> None:
        self._kept_bytes += held.size
        self._queue.push_front(key, held)

    def pop(
        self, eligible: Callable[[str], bool], *, load: Callable[[str], Load]
    ) -> tuple[str, Held[E]] | None:
        picked = self._queue.pop(eligible, load=load)
        if picked is not None:
            self._kept_bytes -= picked[1].size
        return picked

    def has(self, key: str) -> bool:
        return self._queue.has(key)

    def any_key(self, wanted: Callable[[str], bool]) -> bool:
        return any(wanted(key) for key in self._queue.keys())

    def drain(self) -> list[Msg]:
        self._kept_bytes = 0
        return [held.msg for held in self._queue.drain()]


async def read_again(js: JetStreamContext, stream: str, msg: Msg) -> bytes | None:
    """The body of a held message whose payload was let go; None if the stream lost it."""
    try:
        stored = await js.get_msg(stream, seq=msg.metadata.sequence.stream, direct=True)
    except NotFoundError:
        return None
    return stored.data or b""
