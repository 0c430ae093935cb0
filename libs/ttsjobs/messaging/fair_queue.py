"""Round-robin over keys (users), oldest first within a key, skipping keys at their limit.

The consumer runner buffers fetched messages here so that one user's backlog never holds back
another user's job: the next free slot goes to the eligible user with the least ``load`` (the
runner's: the fewest jobs running, then the longest since one started), the next in turn among
equals, not to the next message.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
# Compared between keys: the lesser goes first (the runner's: jobs running, last start).
Load = tuple[float, ...]


class FairQueue(Generic[T]):
    def __init__(self) -> None:
        self._queues: OrderedDict[str, deque[T]] = OrderedDict()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def items(self) -> list[T]:
        return list(self)

    def __iter__(self) -> Iterator[T]:
        for queue in self._queues.values():
            yield from queue

    def keys(self) -> list[str]:
        return list(self._queues)

    def push(self, key: str, item: T) -> None:
        self._queues.setdefault(key, deque()).append(item)
        self._count += 1

    def push_front(self, key: str, item: T) -> None:
        """Put back an item that could not start yet, ahead of that key's later items."""
        self._queues.setdefault(key, deque()).appendleft(item)
        self._count += 1

    def pop(
        self, eligible: Callable[[str], bool], *, load: Callable[[str], Load] | None = None
    ) -> tuple[str, T] | None:
        """The oldest item of the eligible key with the least ``load`` (the first in rotation
        among equals); that key then goes last."""
        chosen: str | None = None
        least: Load = ()
        for key in self._queues:
            if not eligible(key):
                continue
            weight = load(key) if load is not None else ()
            if chosen is None or weight < least:
                chosen, least = key, weight
        if chosen is None:
            return None
        queue = self._queues.pop(chosen)
        item = queue.popleft()
        self._count -= 1
        if queue:
            self._queues[chosen] = queue  # back of the rotation
        return chosen, item

    def has(self, key: str) -> bool:
        return key in self._queues

    def drain(self) -> list[T]:
        items = self.items()
        self._queues.clear()
        self._count = 0
        return items
