"""The engine slots of one job, given in turn order.

A job's turns reach the engines after a segment-cache lookup each, and those lookups end in any
order; a plain semaphore would then run the turns in that order, and the job's first turn could
wait behind a whole turn of another (measured: the first audio 6 s later on Kokoro). Here a free
slot goes to the lowest index waiting, and only once every turn before it has either asked for
a slot or needed none (``skip``: it came from the cache). A job thus renders front to back and
its finished part (written, and heard live, only as a prefix: assembly.py) grows as fast as the
engines allow; the cost is that a slot may stay free for the few milliseconds an earlier turn's
lookup still takes.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class TurnOrderGate:
    def __init__(self, slots: int, turns: int) -> None:
        self._free = slots
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []
        self._arrived = [False] * turns  # at the gate, or past it without a slot
        self._first_unarrived = 0

    @asynccontextmanager
    async def slot(self, index: int) -> AsyncIterator[None]:
        """Hold one engine slot for turn ``index``."""
        granted = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (index, granted))
        self._arrive(index)
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self._release()  # given a slot as it was cancelled: pass it on
            raise
        try:
            yield
        finally:
            self._release()

    def skip(self, index: int) -> None:
        """Turn ``index`` needs no slot: the turns after it need not wait for it."""
        self._arrive(index)

    def _arrive(self, index: int) -> None:
        self._arrived[index] = True
        while self._first_unarrived < len(self._arrived) and self._arrived[self._first_unarrived]:
            self._first_unarrived += 1
        self._grant()

    def _release(self) -> None:
        self._free += 1
        self._grant()

    def _grant(self) -> None:
        while self._free > 0 and self._waiting:
            index, granted = self._waiting[0]
            if granted.done():  # cancelled while waiting
                heapq.heappop(self._waiting)
                continue
            if index > self._first_unarrived:
                return  # an earlier turn is still on its way to the gate
            heapq.heappop(self._waiting)
            self._free -= 1
            granted.set_result(None)
