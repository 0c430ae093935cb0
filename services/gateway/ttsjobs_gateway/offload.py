"""Work over what a client sent, run where it costs least: on the event loop while the input is
small enough that the work is bounded, in a worker thread once it may be long.

Large input must leave the loop: a megabyte of turns validated there holds every other request
of this gateway, /healthz too, for seconds. Small input is better kept on it: a hop to a worker
thread costs about 0.16 ms of CPU by itself, against 0.02 ms to validate a two-turn body
(bench/README.md, "/healthz under the largest bodies"), and a submission makes two.
``INLINE_UP_TO`` bounds what the loop does in one go to about half a millisecond.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from ttsjobs.contracts.job_request import MultiRoleRequest

P = ParamSpec("P")
T = TypeVar("T")

INLINE_UP_TO = 8 * 1024  # bytes of a body, or characters of a request's text


async def sized(size: int, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``work(*args, **kwargs)``: here when ``size`` is at most ``INLINE_UP_TO``, else in a
    worker thread."""
    if size <= INLINE_UP_TO:
        return work(*args, **kwargs)
    return await run_in_threadpool(work, *args, **kwargs)


def dialogue_size(request: MultiRoleRequest) -> int:
    """What casting and the checks read of a dialogue, in characters: its turns' texts and
    names, and a little for each turn and assignment."""
    turns = sum(len(turn.text) + len(turn.speaker) + 16 for turn in request.turns)
    return turns + 64 * len(request.voice_assignments)
