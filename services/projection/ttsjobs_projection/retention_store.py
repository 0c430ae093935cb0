"""SQL of what goes when jobs leave: the jobs past retention (the janitor), and whether a job
still shows an object or may yet (the janitor and a deletion, which decide what S3 keeps)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

import asyncpg

from ttsjobs.jobs.state import JobState
from ttsjobs.readmodel.rows import COLUMNS, state_from_row


class Queries(Protocol):
    """A pool or a connection (within a transaction): what the checks here ask of either."""

    async def fetchval(self, query: str, *args: Any) -> Any: ...


async def jobs_created_before(pool: asyncpg.Pool, cutoff: datetime, limit: int) -> list[JobState]:
    """Up to ``limit`` jobs created before ``cutoff``, oldest first."""
    rows = await pool.fetch(
        f"SELECT {', '.join(COLUMNS)} FROM tts_jobs WHERE created_at < $1"
        " ORDER BY created_at LIMIT $2",
        cutoff,
        limit,
    )
    return [state_from_row(row) for row in rows]


async def object_shown_since(db: Queries, object_key: str, since: datetime) -> bool:
    """Whether a job created at or after ``since`` refers to the object."""
    found = await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM audio_files a JOIN tts_jobs j ON j.audio_file_id = a.id"
        " WHERE a.object_key = $1 AND j.created_at >= $2)",
        object_key,
        since,
    )
    return bool(found)


async def unfinished_between(db: Queries, user_id: str, start: datetime, end: datetime) -> bool:
    """Whether a job of the user created in [``start``, ``end``) is pending or processing."""
    found = await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM tts_jobs WHERE user_id = $1"
        " AND status IN ('pending', 'processing') AND created_at >= $2 AND created_at < $3)",
        user_id,
        start,
        end,
    )
    return bool(found)
