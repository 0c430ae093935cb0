"""Finished jobs as read from their rows, kept so a GET does not build the same state again.

A finished job's row changes only with a new event (a rename, its expiry), and every event
moves ``last_event_seq``. So a state built from the row at one (id, last_event_seq, updated_at)
is the state of every later read that finds those values: the read still runs its SELECT, and
skips the JSON parsing and model validation of the row (about a tenth of the gateway's CPU per
GET of a finished job, profiled). Rows the projection could not store (read_model_error) and
unfinished jobs are never kept: the former are answered from the events, the latter change.
The states are shared between requests, so nothing may modify one (nothing in the gateway does).

Next to a kept state, what a GET answers for it (``rendered``): the JobView serialised once per
row version too. That answer is a function of the state alone once the job has ended (its
``elapsed`` counts to ``completed_at``, not to now), so a repeat GET sends the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from ttsjobs.aio.newest import Newest
from ttsjobs.jobs.state import TERMINAL, JobState

if TYPE_CHECKING:
    import asyncpg

Row: TypeAlias = "asyncpg.Record | Mapping[str, Any]"

KEPT = 10_000
_FINISHED = frozenset(status.value for status in TERMINAL)


class _Kept:
    __slots__ = ("rendered", "state", "version")

    def __init__(self, version: tuple[Any, ...], state: JobState) -> None:
        self.version = version
        self.state = state
        self.rendered: tuple[Hashable, bytes] | None = None


class FinishedRows:
    def __init__(self, *, kept: int = KEPT) -> None:
        self._states: Newest[str, _Kept] = Newest(kept)

    def state_of(self, row: Row, build: Callable[[Row], JobState]) -> JobState:
        """``build(row)``, or the state built from an identical finished row before."""
        if row["status"] not in _FINISHED or row.get("read_model_error") is not None:
            return build(row)
        job_id = str(row["id"])
        version = (row["last_event_seq"], row["updated_at"])
        kept = self._states.get(job_id)
        if kept is not None and kept.version == version:
            return kept.state
        state = build(row)
        self._states.store(job_id, _Kept(version, state))
        return state

    def rendered(
        self, state: JobState, key: Hashable, render: Callable[[JobState], bytes]
    ) -> bytes:
        """``render(state)``, kept with ``state`` when it is the one kept here for its job and
        has ended with a ``completed_at`` (so its answer does not move with the clock); ``key``
        names what else the rendering depends on (the retention)."""
        kept = self._states.get(state.id)
        if kept is None or kept.state is not state or state.completed_at is None:
            return render(state)
        if kept.rendered is None or kept.rendered[0] != key:
            kept.rendered = (key, render(state))
        return kept.rendered[1]
