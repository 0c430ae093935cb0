"""The engine slots of one job, given to its earliest turn waiting.

A job's turns reach the engines after a segment-cache lookup each, which end in any order; a
plain semaphore would then run them in that order. Handing a free slot to the lowest index
waiting renders the job front to back, so its finished part (which is written, and heard live,
only as a prefix: assembly.py) grows as fast as the engines allow. A turn never waits for an
earlier one that has not asked yet: no slot stays idle.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class TurnOrderGate:
    def __init__(self, slots: int) -> None:
        self._free = slots
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()  # ties (never expected) in arrival order

    @asynccontextmanager
    async def slot(self, index: int) -> AsyncIterator[None]:
        """Hold one engine slot for turn ``index``."""
        await self._acquire(index)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, index: int) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        granted = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (index, next(self._arrivals), granted))
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self._release()  # given a slot as it was cancelled: pass it on
            raise

    def _release(self) -> None:
        while self._waiting:
            _, _, granted = heapq.heappop(self._waiting)
            if not granted.done():  # a cancelled waiter's future is done: skipped
                granted.set_result(None)
                return
        self._free += 1
