"""A dict that keeps only its most recently stored entries: the memory every per-job or
per-user cache of the services is bounded by."""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Newest(OrderedDict[K, V]):
    """At most ``size`` entries. ``store`` makes an entry the newest and forgets the oldest
    beyond ``size``; plain item assignment changes a value in place, keeping its age."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def store(self, key: K, value: V) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
