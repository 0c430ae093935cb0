"""Pausing Python's cyclic garbage collector while a process builds up many long-lived objects.

A replay keeps every job's state in memory until it writes them. Each full collection walks
all of them again and frees nothing (events and states hold no reference cycles), so the
collector's cost grows with the replay: up to a tenth of a rebuild's time. Reference counting
still frees everything as usual while the collector is paused.

What the block leaves alive is moved to the oldest generation when it ends. Otherwise every
object it made would still count as young, and the first collection after the pause would walk
them all: 80 ms after a 20,000-event replay, most of a young collection's work for nothing.

The pause is process-wide: it is for a process busy with that one job (``ttsjobs projection
rebuild``), not for a service whose other tasks keep making garbage meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; it runs again as before afterwards (it stays
    off if it was off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Frozen and at once unfrozen: every tracked object lands in the oldest generation
            # without being examined, and the young generation's count starts from zero.
            gc.freeze()
            gc.unfreeze()
            gc.enable()
