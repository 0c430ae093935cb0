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
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class TurnOrderGate:
    def __init__(self, slots: int, turns: int) -> None:
        self._free = slots
        # (turn, ask, its grant): a turn may ask for several slots (opening_turn.py), and then
        # its asks are served in the order they came.
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._asks = itertools.count()
        self._arrived = [False] * turns  # at the gate, or past it without a slot
        self._asks_due = [1] * turns  # a turn has arrived once it asked for all its slots
        self._first_unarrived = 0

    @asynccontextmanager
    async def slot(self, index: int) -> AsyncIterator[None]:
        """Hold one engine slot for turn ``index`` (a turn in pieces holds one per piece)."""
        granted = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (index, next(self._asks), granted))
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

    def expect(self, index: int, asks: int) -> None:
        """Turn ``index`` will hold ``asks`` slots at once (a turn in pieces): no later turn
        gets a slot before each of them asked for its own."""
        self._asks_due[index] = asks

    def skip(self, index: int) -> None:
        """Turn ``index`` needs no slot: the turns after it need not wait for it."""
        self._asks_due[index] = 1
        self._arrive(index)

    def _arrive(self, index: int) -> None:
        self._asks_due[index] -= 1
        if self._asks_due[index] > 0:
            return
        self._arrived[index] = True
        while self._first_unarrived < len(self._arrived) and self._arrived[self._first_unarrived]:
            self._first_unarrived += 1
        self._grant()

    def _release(self) -> None:
        self._free += 1
        self._grant()

    def _grant(self) -> None:
        while self._free > 0 and self._waiting:
            index, _, granted = self._waiting[0]
            if granted.done():  # cancelled while waiting
                heapq.heappop(self._waiting)
                continue
            if index > self._first_unarrived:
                return  # an earlier turn is still on its way to the gate
            heapq.heappop(self._waiting)
            self._free -= 1
            granted.set_result(None)
