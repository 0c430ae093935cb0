"""SQL of the projection: load a job's row, write it back, and the rows that hang off it; the
users and their API keys."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg

from ttsjobs.jobs.state import JobState
from ttsjobs.readmodel.rows import COLUMNS, WRITE_COLUMNS, row_from_state, state_from_row

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

# A connection of its own (a rebuild) or one lent by the pool (the consumers): the same methods.
DbConnection: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"

_PLACEHOLDERS = ", ".join(
    f"${i}::jsonb" if c.endswith("_json") else f"${i}" for i, c in enumerate(WRITE_COLUMNS, 1)
)
_UPSERT_JOB = f"""
    INSERT INTO tts_jobs ({", ".join(WRITE_COLUMNS)}) VALUES ({_PLACEHOLDERS})
    ON CONFLICT (id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in WRITE_COLUMNS[1:])}
    WHERE tts_jobs.last_event_seq < EXCLUDED.last_event_seq
"""


async def load_jobs_for_update(conn: DbConnection, job_ids: list[str]) -> dict[str, JobState]:
    # In id order, so that two writers of the same rows always lock them in the same order.
    rows = await conn.fetch(
        f"SELECT {', '.join(COLUMNS)} FROM tts_jobs WHERE id = ANY($1::uuid[]) ORDER BY id "
        "FOR UPDATE",
        job_ids,
    )
    return {str(r["id"]): state_from_row(r) for r in rows}


async def save_jobs(conn: DbConnection, states: list[JobState]) -> None:
    if states:
        await conn.executemany(_UPSERT_JOB, [row_from_state(s) for s in states])


async def ensure_users(conn: DbConnection, first_seen: dict[str, datetime]) -> None:
    # Users get a real name once accounts exist; until then the id stands in for it.
    if first_seen:
        await conn.executemany(
            "INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (id) DO NOTHING",
            [(user, user, at) for user, at in first_seen.items()],
        )


async def save_user(conn: DbConnection, user_id: str, name: str, created_at: datetime) -> None:
    """The user's name and time, also over a stand-in row that ``ensure_users`` left."""
    await conn.execute(
        "INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, created_at = EXCLUDED.created_at",
        user_id,
        name,
        created_at,
    )


async def add_api_key(
    conn: DbConnection,
    user_id: str,
    key_id: str,
    key_sha256: str,
    label: str,
    created_at: datetime,
) -> None:
    """Once: a key that is already there stays as it is (revoked or not)."""
    await conn.execute(
        "INSERT INTO api_keys (key_id, user_id, key_sha256, label, created_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key_id) DO NOTHING",
        key_id,
        user_id,
        key_sha256,
        label,
        created_at,
    )


async def revoke_api_key(conn: DbConnection, user_id: str, key_id: str, at: datetime) -> None:
    """Only the user's own key, and only the first time: a repeat keeps the first revocation."""
    await conn.execute(
        "UPDATE api_keys SET revoked_at = $3"
        " WHERE key_id = $1 AND user_id = $2 AND revoked_at IS NULL",
        key_id,
        user_id,
        at,
    )


AUDIO_FILE_COLUMNS = (
    "id",
    "job_id",
    "bucket",
    "object_key",
    "content_type",
    "format",
    "size_bytes",
    "duration_ms",
    "sample_rate",
    "created_at",
)
_INSERT_AUDIO_FILE = f"""
    INSERT INTO audio_files ({", ".join(AUDIO_FILE_COLUMNS)})
    VALUES ({", ".join(f"${i}" for i in range(1, len(AUDIO_FILE_COLUMNS) + 1))})
    ON CONFLICT (id) DO NOTHING
"""


async def save_audio_files(conn: DbConnection, states: list[JobState]) -> None:
    if states:
        await conn.executemany(_INSERT_AUDIO_FILE, [audio_file_row(s) for s in states])


def audio_file_row(state: JobState) -> tuple[Any, ...]:
    """Values in AUDIO_FILE_COLUMNS order."""
    assert state.result is not None and state.audio_file_id is not None
    audio = state.result.audio
    return (
        state.audio_file_id,
        state.id,
        audio.bucket,
        audio.object_key,
        audio.content_type,
        audio.format,
        audio.size_bytes,
        state.result.duration_ms,
        audio.sample_rate,
        state.completed_at,
    )


async def save_position(conn: DbConnection, consumer: str, seq: int, at: datetime) -> None:
    await conn.execute(
        """
        INSERT INTO projection_positions (consumer, stream_seq, applied_at) VALUES ($1, $2, $3)
        ON CONFLICT (consumer) DO UPDATE SET stream_seq = EXCLUDED.stream_seq,
            applied_at = EXCLUDED.applied_at
        WHERE projection_positions.stream_seq < EXCLUDED.stream_seq
        """,
        consumer,
        seq,
        at,
    )


async def delete_job(conn: DbConnection, state: JobState) -> None:
    await conn.execute("DELETE FROM tts_jobs WHERE id = $1", state.id)
    if state.audio_file_id is not None:
        await conn.execute("DELETE FROM audio_files WHERE id = $1", state.audio_file_id)
