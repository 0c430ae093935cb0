"""Taking from an asyncio queue everything that has waited up, for consumers that send in
batches what piled up while they were busy."""

from __future__ import annotations

import asyncio
from typing import TypeVar

T = TypeVar("T")


async def next_and_waiting(queue: asyncio.Queue[T]) -> list[T]:
    """The next item (waiting for it if there is none yet) and every item queued behind it."""
    items = [await queue.get()]
    while not queue.empty():
        items.append(queue.get_nowait())
    return items
