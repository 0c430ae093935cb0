"""The gateway's one read port: ``JobReads``. Routes, handlers and feeds read jobs through it
and nothing else; it owns every choice of where an answer comes from.

``current(job_id, user_id)``, a job as it stands now, is chosen so:
1. deleted, here or as the tap heard: the job's events answer (they fold to nothing);
2. accepted by this gateway and vouched for by the live cache: that state, with no read;
3. else the projection's row (a finished one's state built once per row version,
   finished_rows.py), refused if it is someone else's;
4. an unfinished row the live cache cannot vouch for is topped up from the job's events, and
   so is a finished row past which the live cache has seen an event of the job (a rename, here
   or on another gateway, that the projection has not applied yet);
   no row at all (the projection lags) or a row the projection could not store: the events.
So a job just accepted, here or on another gateway, is never a 404, and a finished job never
shows as running. The one thing a read can miss is an event inside the window stream_watch.py
describes.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Protocol

import asyncpg
import structlog

from ttsjobs.contracts.job_request import JobType
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs_gateway.errors import JobNotFound
from ttsjobs_gateway.live.live_jobs import LiveJobs
from ttsjobs_gateway.reads import pages, tables
from ttsjobs_gateway.reads.finished_rows import FinishedRows
from ttsjobs_gateway.reads.pending_counts import PendingCounts
from ttsjobs_gateway.schemas import JobView


class JobEvents(Protocol):
    """A job's events in the stream, for the reads the table cannot answer."""

    async def state(self, job_id: str) -> JobState | None:
        """The job as its events fold now; None if there are none (never, or expired)."""
        ...

    async def caught_up(self, state: JobState) -> JobState | None:
        """``state`` with any newer events of the job applied (None: it has expired)."""
        ...


def _view_json(state: JobState, retention: timedelta) -> bytes:
    return JobView.of(state, retention=retention).model_dump_json(by_alias=True).encode()


class JobReads:
    def __init__(self, pool: asyncpg.Pool, *, live: LiveJobs, events: JobEvents) -> None:
        self._pool = pool
        self._live = live
        self._events = events
        self._finished = FinishedRows()
        self._pending = PendingCounts(functools.partial(tables.pending_count, pool))

    async def current(self, job_id: str, user_id: str) -> JobState:
        """The caller's job as it stands now (the choice is the module's docstring), or
        JobNotFound: never there, expired, deleted, or someone else's."""
        structlog.contextvars.bind_contextvars(job_id=job_id)
        state = await self._choose(job_id, user_id)
        if state is None or state.user_id != user_id:
            raise JobNotFound(job_id)
        return state

    async def _choose(self, job_id: str, user_id: str) -> JobState | None:
        if self._live.is_deleted(job_id):
            return await self._events.state(job_id)
        if (kept := self._live.state(job_id)) is not None:
            return kept
        row = await tables.job(self._pool, job_id, user_id, finished=self._finished)
        if row is None:
            return await self._events.state(job_id)
        if row.read_model_error is not None:
            # The table holds a stand-in for what it could not store: the events are the answer.
            state = await self._events.state(job_id)
            return state and state.model_copy(update={"read_model_error": row.read_model_error})
        if self._live.vouches_for(row) or (row.is_terminal and not self._live.saw_past(row)):
            return row
        return await self._events.caught_up(row)

    def view_json(self, state: JobState, *, retention: timedelta) -> bytes:
        """``state`` as GET answers it: its JobView in JSON. Serialised once per row version
        for a finished job read from its row (see finished_rows), on every call otherwise."""
        return self._finished.rendered(state, retention, lambda s: _view_json(s, retention))

    async def refuse_foreign(self, job_id: str, user_id: str) -> None:
        """JobNotFound if the table says the job is someone else's, before its events are
        read to decide a change."""
        await tables.refuse_foreign(self._pool, job_id, user_id)

    async def page(
        self,
        user_id: str,
        *,
        limit: int,
        status: JobStatus | None = None,
        job_type: JobType | None = None,
        cursor: str | None = None,
        q: str | None = None,
        id_prefix: str | None = None,
    ) -> tuple[list[JobState], str | None]:
        states, next_cursor = await pages.jobs_page(
            self._pool, user_id, limit=limit, status=status, job_type=job_type, cursor=cursor,
            q=q, id_prefix=id_prefix,
        )  # fmt: skip
        # A page may come out shorter than ``limit`` by the jobs just deleted; its cursor
        # still leads on from where the table's page ended.
        return [s for s in states if not self._live.is_deleted(s.id)], next_cursor

    async def active_at_position(self, user_id: str) -> tuple[int, list[JobState]]:
        """The user's unfinished jobs and the stream position the table holds them at."""
        return await tables.active_jobs_at_position(self._pool, user_id)

    async def pending_count(self, user_id: str, *, cap: int) -> int:
        """The user's pending jobs, as the table counts them whenever that may be half of
        ``cap`` or more (see pending_counts)."""
        return await self._pending.count(user_id, cap=cap)

    def accepted(self, state: JobState) -> None:
        """A job was accepted here, in ``state``: counted as pending until the next count,
        and kept current in the live cache."""
        self._pending.accepted(state.user_id)
        self._live.accepted(state)

    def deleted(self, job_id: str) -> None:
        """A job was deleted here: no read shows it from now on."""
        self._live.deleted(job_id)
