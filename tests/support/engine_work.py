"""Work for engine processes in tests: importable by a spawned child, unlike a test's own
functions."""

from __future__ import annotations

import os
import time


def no_setup() -> None:
    return None


def failing_setup() -> None:
    raise RuntimeError("the voice could not be loaded")


def answer(value: str, *, after_s: float = 0.0) -> tuple[str, int]:
    """``value`` and the answering process; "die" exits the process as a crashing native
    engine would."""
    if value == "die":
        os._exit(70)
    time.sleep(after_s)
    return value, os.getpid()


def slow_answer(value: str) -> tuple[str, int]:
    return answer(value, after_s=0.5)


def slow_setup() -> None:
    time.sleep(0.5)
