"""Reads of the projection's tables. The gateway only SELECTs; the projection writes."""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import asyncpg

from ttsjobs.contracts.job_request import FieldProblem, JobType
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs.readmodel.rows import COLUMNS, SHORT_QUERY, state_from_row
from ttsjobs_gateway.deleted_jobs import DeletedJobs
from ttsjobs_gateway.errors import InvalidRequest, JobNotFound, StoreUnavailable
from ttsjobs_gateway.finished_rows import FinishedRows
from ttsjobs_gateway.pending_counts import PendingCounts
from ttsjobs_gateway.recent_jobs import RecentJobs
from ttsjobs_gateway.schemas import JobView

_SELECT = f"SELECT {', '.join(COLUMNS)} FROM tts_jobs"
_NEWEST = "ORDER BY created_at DESC, id DESC"
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


async def _read(query: Callable[[], Awaitable[T]], *, before_schema: T) -> T:
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
    row = await _read(
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
    owner = await _read(
        lambda: pool.fetchval("SELECT user_id FROM tts_jobs WHERE id = $1", job_id),
        before_schema=None,
    )
    if owner is not None and str(owner) != user_id:
        raise JobNotFound(job_id)


ID_PREFIX_HEX = 32


def id_range(id_prefix: str) -> tuple[str, str]:
    """The least and the greatest id that start with ``id_prefix`` (hex digits; dashes are
    ignored, so a prefix cut anywhere from a printed id works), or a 422 naming id_prefix."""
    digits = id_prefix.replace("-", "").lower()
    hex_only = all(c in "0123456789abcdef" for c in digits)
    if not (0 < len(digits) <= ID_PREFIX_HEX and len(id_prefix) <= 36 and hex_only):
        raise InvalidRequest(
            [FieldProblem("id_prefix", "the start of a job id: 1 to 32 hex digits, dashes allowed")]
        )
    low, high = digits.ljust(ID_PREFIX_HEX, "0"), digits.ljust(ID_PREFIX_HEX, "f")
    return str(uuid.UUID(low)), str(uuid.UUID(high))


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
# read whole. Such a query looks its one or two characters up in search_grams instead.
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
    job_type: JobType | None = None,
    cursor: str | None = None,
    q: str | None = None,
    id_prefix: str | None = None,
) -> tuple[list[JobState], str | None]:
    """Newest first; keyset paging on (created_at, id) so deep pages cost what the first does.

    ``q`` keeps the jobs whose title or turn texts hold it, case-insensitively (ILIKE on the
    projection's search_text; see _search_page). ``id_prefix`` (hex digits, as id_range reads
    them) keeps the jobs whose id starts so. Always within the caller's rows.
    """
    where = ["user_id = $1"]
    args: list[object] = [user_id]
    if id_prefix is not None:
        # A range of the (user_id, id) index: a0c5 is a0c50000-0000-… to a0c5ffff-ffff-….
        args += list(id_range(id_prefix))
        where.append(f"id BETWEEN ${len(args) - 1}::uuid AND ${len(args)}::uuid")
    if status is not None:
        args.append(status.value)
        where.append(f"status = ${len(args)}")
    if job_type is not None:
        args.append(job_type.value)
        where.append(f"job_type = ${len(args)}")
    if cursor is not None:
        created_at, job_id = decode_cursor(cursor)
        args += [created_at, job_id]
        where.append(f"(created_at, id) < (${len(args) - 1}, ${len(args)}::uuid)")

    async def query() -> list[asyncpg.Record]:
        if not q:
            params = [*args, limit + 1]
            return await pool.fetch(
                f"{_SELECT} WHERE {' AND '.join(where)} {_NEWEST} LIMIT ${len(params)}", *params
            )
        return await _search_page(pool, where, args, q, limit)

    rows: list[asyncpg.Record] = await _read(query, before_schema=[])
    states = [state_from_row(r) for r in rows[:limit]]
    next_cursor = encode_cursor(states[-1]) if len(rows) > limit else None
    return states, next_cursor


# How many of the user's newest rows a search reads before it turns to an index.
SEARCH_WALK = 1000


async def _search_page(
    pool: asyncpg.Pool, where: list[str], args: list[object], q: str, limit: int
) -> list[asyncpg.Record]:
    """A search in two steps, each of which reads only the caller's rows:

    1. The user's newest SEARCH_WALK rows (their own index, newest first), filtered: a query
       that many jobs match fills the page from there, in a few milliseconds.
    2. If that did not fill it: every row of the user's that the search indexes allow, which
       lead with user_id, filtered, then the newest of them. A MATERIALIZED CTE keeps the
       planner from walking the user's rows newest first instead: it estimates the matches
       from the whole table, so for text that only other users' jobs hold it would expect
       many and walk all of this user's rows (0.3–0.6 s for 100,000 jobs), finding none.

    q of three characters or more is looked up by trigrams (pg_trgm); shorter, in
    search_grams, every 1- and 2-character piece, with the ILIKE on an expression,
    ``search_text || ''``, so that the trigram index (which such a pattern would read whole)
    is kept out. ILIKE decides in both steps: the indexes only narrow.
    """
    pattern, n = like_pattern(q), len(args)
    conditions = " AND ".join(where)
    rows = await pool.fetch(
        f"SELECT {', '.join(COLUMNS)} FROM (SELECT {', '.join(COLUMNS)}, search_text"
        f" FROM tts_jobs WHERE {conditions} {_NEWEST} LIMIT {SEARCH_WALK}) AS newest"
        f" WHERE search_text ILIKE ${n + 1} {_NEWEST} LIMIT ${n + 2}",
        *args,
        pattern,
        limit + 1,
    )
    if len(rows) > limit:
        return rows
    if len(q) >= TRIGRAM or len(q.lower()) > SHORT_QUERY:
        match, extra = f"search_text ILIKE ${n + 1}", []
    else:
        match = f"search_grams @> ${n + 3}::text[] AND (search_text || '') ILIKE ${n + 1}"
        extra = [[q.lower()]]
    return await pool.fetch(
        f"WITH hits AS MATERIALIZED (SELECT id, created_at FROM tts_jobs"
        f" WHERE {conditions} AND {match})"
        f" {_SELECT} WHERE id IN (SELECT id FROM hits {_NEWEST} LIMIT ${n + 2}) {_NEWEST}",
        *args,
        pattern,
        limit + 1,
        *extra,
    )


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
                f"{_SELECT} WHERE user_id = $1 AND status IN ('pending', 'processing')"
                " ORDER BY created_at DESC, id DESC LIMIT 200",
                user_id,
            )
        return int(position), rows

    nothing: tuple[int, list[asyncpg.Record]] = (0, [])
    position, rows = await _read(query, before_schema=nothing)
    return position, [state_from_row(r) for r in rows]


async def pending_count(pool: asyncpg.Pool, user_id: str) -> int:
    return await _read(
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


def _view_json(state: JobState, retention: timedelta) -> bytes:
    return JobView.of(state, retention=retention).model_dump_json(by_alias=True).encode()


class JobReads:
    """The port the routes and handlers read jobs through: the reads above, on the gateway's
    pool. Routes are handed one (see state.py) and never see the pool itself."""

    def __init__(self, pool: asyncpg.Pool, *, recent: RecentJobs | None = None) -> None:
        self._pool = pool
        # Jobs this gateway accepted, current from the relay: a GET of one reads nothing.
        self._recent = recent
        # Deleted, though the table may not know yet: no GET or list shows them.
        self._deleted = recent.deleted if recent is not None else DeletedJobs()
        # A finished job's state is the same for every reader of its row: built once.
        self._finished = FinishedRows()
        self._pending = PendingCounts(functools.partial(pending_count, pool))

    async def job(self, job_id: str, user_id: str) -> JobState | None:
        if job_id in self._deleted:
            return None  # the job's events answer: it is gone
        if self._recent is not None and (state := self._recent.state(job_id)) is not None:
            if state.user_id != user_id:
                raise JobNotFound(job_id)
            return state
        return await job(self._pool, job_id, user_id, finished=self._finished)

    def view_json(self, state: JobState, *, retention: timedelta) -> bytes:
        """``state`` as GET answers it: its JobView in JSON. Serialised once per row version
        for a finished job that ``job()`` read (see finished_rows), on every call otherwise."""
        return self._finished.rendered(state, retention, lambda s: _view_json(s, retention))

    async def refuse_foreign(self, job_id: str, user_id: str) -> None:
        await refuse_foreign(self._pool, job_id, user_id)

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
        states, next_cursor = await jobs_page(
            self._pool, user_id, limit=limit, status=status, job_type=job_type, cursor=cursor,
            q=q, id_prefix=id_prefix,
        )  # fmt: skip
        # A page may come out shorter than ``limit`` by the jobs just deleted; its cursor
        # still leads on from where the table's page ended.
        return [s for s in states if s.id not in self._deleted], next_cursor

    def deleted(self, job_id: str) -> None:
        """The job was deleted here: no GET or list shows it from now on."""
        self._deleted.add(job_id)

    async def active_at_position(self, user_id: str) -> tuple[int, list[JobState]]:
        return await active_jobs_at_position(self._pool, user_id)

    async def pending_count(self, user_id: str, *, cap: int) -> int:
        """The user's pending jobs, as the table counts them whenever that may be half of
        ``cap`` or more (see pending_counts)."""
        return await self._pending.count(user_id, cap=cap)

    def accepted(self, state: JobState) -> None:
        """A job was accepted, in ``state``: counted as pending until the next read, and
        kept for GETs while the relay keeps it current."""
        self._pending.accepted(state.user_id)
        if self._recent is not None:
            self._recent.accepted(state)
