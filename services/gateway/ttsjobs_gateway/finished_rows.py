"""Finished jobs as read from their rows, kept so a GET does not build the same state again.

A finished job's row changes only with a new event (a rename, its expiry), and every event
moves ``last_event_seq``. So a state built from the row at one (id, last_event_seq, updated_at)
is the state of every later read that finds those values: the read still runs its SELECT, and
skips the JSON parsing and model validation of the row (about a tenth of the gateway's CPU per
GET of a finished job, profiled). Rows the projection could not store (read_model_error) and
unfinished jobs are never kept: the former are answered from the events, the latter change.
The states are shared between requests, so nothing may modify one (nothing in the gateway does).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from ttsjobs.jobs.state import TERMINAL, JobState

if TYPE_CHECKING:
    import asyncpg

Row: TypeAlias = "asyncpg.Record | Mapping[str, Any]"

KEPT = 10_000
_FINISHED = frozenset(status.value for status in TERMINAL)


class FinishedRows:
    def __init__(self, *, kept: int = KEPT) -> None:
        self._kept = kept
        self._states: OrderedDict[str, tuple[tuple[Any, ...], JobState]] = OrderedDict()

    def state_of(self, row: Row, build: Callable[[Row], JobState]) -> JobState:
        """``build(row)``, or the state built from an identical finished row before."""
        if row["status"] not in _FINISHED or row.get("read_model_error") is not None:
            return build(row)
        job_id = str(row["id"])
        version = (row["last_event_seq"], row["updated_at"])
        kept = self._states.get(job_id)
        if kept is not None and kept[0] == version:
            return kept[1]
        state = build(row)
        self._states[job_id] = (version, state)
        self._states.move_to_end(job_id)
        if len(self._states) > self._kept:
            self._states.popitem(last=False)
        return state
