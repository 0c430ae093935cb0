"""Pages of the caller's jobs, newest first: keyset cursors, an id prefix, a text search."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import UTC, datetime

import asyncpg

from ttsjobs.contracts.job_request import FieldProblem, JobType
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs.readmodel.rows import state_from_row
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.reads.search import search_page
from ttsjobs_gateway.reads.tables import NEWEST_FIRST, SELECT_JOBS, read

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
                f"{SELECT_JOBS} WHERE {' AND '.join(where)} {NEWEST_FIRST} LIMIT ${len(params)}",
                *params,
            )
        return await search_page(pool, where, args, q, limit)

    rows: list[asyncpg.Record] = await read(query, before_schema=[])
    states = [state_from_row(r) for r in rows[:limit]]
    next_cursor = encode_cursor(states[-1]) if len(rows) > limit else None
    return states, next_cursor
