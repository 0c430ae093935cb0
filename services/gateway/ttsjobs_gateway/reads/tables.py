"""Reads of the projection's tables: one job, the caller's unfinished ones, a pending count,
an API key. The gateway only SELECTs; the projection writes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import asyncpg

from ttsjobs.jobs.state import JobState
from ttsjobs.readmodel.rows import COLUMNS, state_from_row
from ttsjobs_gateway.errors import JobNotFound, StoreUnavailable
from ttsjobs_gateway.reads.finished_rows import FinishedRows

SELECT_JOBS = f"SELECT {', '.join(COLUMNS)} FROM tts_jobs"
NEWEST_FIRST = "ORDER BY created_at DESC, id DESC"
# What a database that is down or restarting looks like from asyncpg.
_UNREACHABLE = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.InterfaceError,
)


@contextlib.asynccontextmanager
async def _store() -> AsyncIterator[None]:
    """A database that is down or restarting answers readers with a 503 problem."""
    try:
        yield
    except _UNREACHABLE as err:
        raise StoreUnavailable("PostgreSQL is not answering; try again shortly") from err


T = TypeVar("T")


async def read(query: Callable[[], Awaitable[T]], *, before_schema: T) -> T:
    """``query()`` through ``_store()``; ``before_schema`` while its table does not exist.

    The projection creates the tables when it first starts, and a gateway may answer before
    that: with nothing projected yet there is nothing to show, which is not an error.
    """
    try:
        async with _store():
            return await query()
    except asyncpg.UndefinedTableError:
        return before_schema


async def job(
    pool: asyncpg.Pool, job_id: str, user_id: str, *, finished: FinishedRows | None = None
) -> JobState | None:
    """The caller's job as the table has it; None when the table has no such job (yet).
    ``finished``: states already built from finished rows, to reuse.

    Someone else's job is a JobNotFound here, decided on the owner column: the caller gets the
    404 a missing id gets, without the gateway reading that job's history from the stream.
    """
    # read_model_error: the projection could not store one of this job's events.
    row = await read(
        lambda: pool.fetchrow(
            f"SELECT {', '.join(COLUMNS)}, read_model_error FROM tts_jobs WHERE id = $1", job_id
        ),
        before_schema=None,
    )
    if row is None:
        return None
    if str(row["user_id"]) != user_id:
        raise JobNotFound(job_id)
    return finished.state_of(row, state_from_row) if finished else state_from_row(row)


async def refuse_foreign(pool: asyncpg.Pool, job_id: str, user_id: str) -> None:
    """JobNotFound if the table says the job is someone else's; else nothing (the caller's job,
    or one the table has not seen yet, which the job's events then decide)."""
    owner = await read(
        lambda: pool.fetchval("SELECT user_id FROM tts_jobs WHERE id = $1", job_id),
        before_schema=None,
    )
    if owner is not None and str(owner) != user_id:
        raise JobNotFound(job_id)


async def active_jobs_at_position(pool: asyncpg.Pool, user_id: str) -> tuple[int, list[JobState]]:
    """The user's unfinished jobs and the stream position the table reflects, read together.

    The projection writes rows and its position in one transaction, so one repeatable-read
    transaction here sees the jobs exactly as of that position.
    """

    async def query() -> tuple[int, list[asyncpg.Record]]:
        async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
            position = await conn.fetchval(
                "SELECT coalesce(max(stream_seq), 0) FROM projection_positions"
                " WHERE consumer = 'projection'"
            )
            rows = await conn.fetch(
                f"{SELECT_JOBS} WHERE user_id = $1 AND status IN ('pending', 'processing')"
                " ORDER BY created_at DESC, id DESC LIMIT 200",
                user_id,
            )
        return int(position), rows

    nothing: tuple[int, list[asyncpg.Record]] = (0, [])
    position, rows = await read(query, before_schema=nothing)
    return position, [state_from_row(r) for r in rows]


async def pending_count(pool: asyncpg.Pool, user_id: str) -> int:
    return await read(
        lambda: pool.fetchval(
            "SELECT count(*) FROM tts_jobs WHERE user_id = $1 AND status = 'pending'", user_id
        ),
        before_schema=0,
    )


async def active_key(pool: asyncpg.Pool, key_id: str) -> tuple[str, str] | None:
    """(user id, key SHA-256) of an API key that has not been revoked."""
    try:
        async with _store():
            row = await pool.fetchrow(
                "SELECT user_id, key_sha256 FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL",
                key_id,
            )
    except asyncpg.UndefinedTableError as err:
        raise StoreUnavailable("the job store is being set up; try again shortly") from err
    return (str(row["user_id"]), row["key_sha256"]) if row else None
