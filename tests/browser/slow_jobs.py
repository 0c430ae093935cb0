"""A job that runs for seconds without stopping a service: piper reading two long turns."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.jobs import dialogue

LONG_TURN = "The quick brown fox jumps over the lazy dog near the riverbank at dawn. " * 24


def slow_piper_dialogue(**overrides: Any) -> dict[str, Any]:
    """Two turns of some two minutes of speech each, about 5 s each to synthesize here: a page
    has time to show the job running, and a cancel lands in the first turn (the second, never
    run, keeps the job from ending first). Each text is new, with a number of its own: a turn
    heard before would come from the segment cache at once."""
    take = uuid.uuid4().int % 10_000
    body = dialogue("piper", title=None)
    body["turns"] = [
        {"speaker": speaker, "text": f"Take {take}, part {n}. {LONG_TURN}"}
        for n, speaker in enumerate(("Alice", "Bob"), 1)
    ]
    body.update(overrides)
    return body
