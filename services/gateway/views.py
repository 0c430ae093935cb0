"""Reads of the projection's tables. The gateway only SELECTs; the projection writes."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg

from ttsjobs.contracts.job_request import FieldProblem
from ttsjobs.jobs.rows import COLUMNS, state_from_row
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs_gateway.errors import InvalidRequest, JobNotFound, StoreUnavailable

_SELECT = f"SELECT {', '.join(COLUMNS)} FROM tts_jobs"
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


async def job(pool: asyncpg.Pool, job_id: str, user_id: str) -> JobState | None:
    """The caller's job as the table has it; None when the table has no such job (yet).

    Someone else's job is a JobNotFound here, decided on the owner column: the caller gets the
    404 a missing id gets, without the gateway reading that job's history from the stream.
    """
    try:
        async with _store():
            # read_model_error: the projection could not store one of this job's events.
            row = await pool.fetchrow(
                f"SELECT {', '.join(COLUMNS)}, read_model_error FROM tts_jobs WHERE id = $1",
                job_id,
            )
    except asyncpg.UndefinedTableError:
        return None  # the projection has not created its schema yet
    if row is None:
        return None
    if str(row["user_id"]) != user_id:
        raise JobNotFound(job_id)
    return state_from_row(row)


async def refuse_foreign(pool: asyncpg.Pool, job_id: str, user_id: str) -> None:
    """JobNotFound if the table says the job is someone else's; else nothing (the caller's job,
    or one the table has not seen yet, which the job's events then decide)."""
    try:
        async with _store():
            owner = await pool.fetchval("SELECT user_id FROM tts_jobs WHERE id = $1", job_id)
    except asyncpg.UndefinedTableError:
        return
    if owner is not None and str(owner) != user_id:
        raise JobNotFound(job_id)


def encode_cursor(state: JobState) -> str:
    raw = json.dumps([state.created_at.isoformat(), state.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The (created_at, id) a cursor holds. Anything else, however crafted, is a 422: a cursor
    is client input, and the query must only ever see an aware timestamp and a UUID."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, job_id = json.loads(base64.b64decode(padded, altchars=b"-_", validate=True))
        at = datetime.fromisoformat(created_at)
        if at.tzinfo is None:
            raise ValueError("a cursor's time has an offset")
        # In UTC, as PostgreSQL will compare it: year 1 at +14:00 falls before year 1.
        return at.astimezone(UTC), str(uuid.UUID(str(job_id)))
    except (ValueError, TypeError, OverflowError, binascii.Error) as err:
        raise InvalidRequest([FieldProblem("cursor", "not a cursor this API returned")]) from err


# Shorter than a trigram, a pattern gives pg_trgm nothing to look up: its GIN index would be
# read whole. Such a query walks the user's own rows newest first instead (see jobs_page).
TRIGRAM = 3


def like_pattern(q: str) -> str:
    """``q`` as an ILIKE pattern that matches it anywhere, taken literally: % _ and \\ escaped."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def jobs_page(
    pool: asyncpg.Pool,
    user_id: str,
    *,
    limit: int,
    status: JobStatus | None = None,
    cursor: str | None = None,
    q: str | None = None,
) -> tuple[list[JobState], str | None]:
    """Newest first; keyset paging on (created_at, id) so deep pages cost what the first does.

    ``q`` keeps the jobs whose title or turn texts hold it, case-insensitively (ILIKE on the
    projection's search_text, trigram-indexed). Always within the caller's rows.
    """
    where = ["user_id = $1"]
    args: list[object] = [user_id]
    if status is not None:
        args.append(status.value)
        where.append(f"status = ${len(args)}")
    if q:
        args.append(like_pattern(q))
        # Under three characters the expression is not the indexed column, so the planner cannot
        # pick a whole read of the trigram index; it pages the user's index and filters.
        column = "search_text" if len(q) >= TRIGRAM else "(search_text || '')"
        where.append(f"{column} ILIKE ${len(args)}")
    if cursor is not None:
        created_at, job_id = decode_cursor(cursor)
        args += [created_at, job_id]
        where.append(f"(created_at, id) < (${len(args) - 1}, ${len(args)}::uuid)")
    args.append(limit + 1)
    try:
        async with _store():
            rows = await pool.fetch(
                f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY created_at DESC, id DESC"
                f" LIMIT ${len(args)}",
                *args,
            )
    except asyncpg.UndefinedTableError:
        return [], None  # the projection has not created its schema yet
    states = [state_from_row(r) for r in rows[:limit]]
    next_cursor = encode_cursor(states[-1]) if len(rows) > limit else None
    return states, next_cursor


async def active_jobs_at_position(pool: asyncpg.Pool, user_id: str) -> tuple[int, list[JobState]]:
    """The user's unfinished jobs and the stream position the table reflects, read together.

    The projection writes rows and its position in one transaction, so one repeatable-read
    transaction here sees the jobs exactly as of that position.
    """
    try:
        async with _store():
            async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
                position = await conn.fetchval(
                    "SELECT coalesce(max(stream_seq), 0) FROM projection_positions"
                    " WHERE consumer = 'projection'"
                )
                rows = await conn.fetch(
                    f"{_SELECT} WHERE user_id = $1 AND status IN ('pending', 'processing')"
                    " ORDER BY created_at DESC, id DESC LIMIT 200",
                    user_id,
                )
    except asyncpg.UndefinedTableError:
        return 0, []
    return int(position), [state_from_row(r) for r in rows]


async def pending_count(pool: asyncpg.Pool, user_id: str) -> int:
    try:
        async with _store():
            return await pool.fetchval(
                "SELECT count(*) FROM tts_jobs WHERE user_id = $1 AND status = 'pending'", user_id
            )
    except asyncpg.UndefinedTableError:
        return 0


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
