"""Round-robin over keys (users), oldest first within a key, skipping keys at their limit.

The consumer runner buffers fetched messages here so that one user's backlog never holds back
another user's job: the next free slot goes to the next user in turn, not the next message.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class FairQueue(Generic[T]):
    def __init__(self) -> None:
        self._queues: OrderedDict[str, deque[T]] = OrderedDict()

    def __len__(self) -> int:
        return sum(len(q) for q in self._queues.values())

    def items(self) -> list[T]:
        return [item for q in self._queues.values() for item in q]

    def push(self, key: str, item: T) -> None:
        self._queues.setdefault(key, deque()).append(item)

    def push_front(self, key: str, item: T) -> None:
        """Put back an item that could not start yet, ahead of that key's later items."""
        self._queues.setdefault(key, deque()).appendleft(item)

    def pop(self, eligible: Callable[[str], bool]) -> tuple[str, T] | None:
        """The oldest item of the first eligible key in rotation; that key then goes last."""
        for key in list(self._queues):
            if eligible(key):
                queue = self._queues.pop(key)
                item = queue.popleft()
                if queue:
                    self._queues[key] = queue  # back of the rotation
                return key, item
        return None

    def drain(self) -> list[T]:
        items = self.items()
        self._queues.clear()
        return items
