"""SQL of the projection: load a job's row, write it back, and the rows that hang off it; lock,
delete or mark a row (a dead letter's replay, an event that could not be stored); the users and
their API keys."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg

from ttsjobs.jobs.state import JobState
from ttsjobs.readmodel.rows import (
    CHANGING_COLUMNS,
    COLUMNS,
    SEARCH_COLUMNS,
    WRITE_COLUMNS,
    changes_from_state,
    row_from_state,
    state_from_row,
)
from ttsjobs_projection.known_rows import KnownRows

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


def _update_job(columns: tuple[str, ...]) -> str:
    assignments = ", ".join(
        f"{c} = ${i}::jsonb" if c.endswith("_json") else f"{c} = ${i}"
        for i, c in enumerate(columns, 2)
    )
    seq = columns.index("last_event_seq") + 2
    return f"UPDATE tts_jobs SET {assignments} WHERE id = $1 AND last_event_seq < ${seq}"


# A row that exists gets only what events change; with the search columns when the title did.
_UPDATE_JOB = _update_job(CHANGING_COLUMNS)
_UPDATE_JOB_AND_SEARCH = _update_job((*CHANGING_COLUMNS, *SEARCH_COLUMNS))


async def load_jobs_for_update(
    conn: DbConnection, job_ids: list[str], *, known: KnownRows | None = None
) -> dict[str, JobState]:
    """The rows of ``job_ids`` that exist, locked. With ``known``, the rows are first locked
    reading only their versions, and read whole only where no state is kept for that version
    (when none of them has one, as in a catch-up, in the one statement that locks them)."""
    # In id order, so that two writers of the same rows always lock them in the same order.
    if known is None or not known.knows_any(job_ids):
        rows = await conn.fetch(
            f"SELECT {', '.join(COLUMNS)} FROM tts_jobs WHERE id = ANY($1::uuid[]) ORDER BY id "
            "FOR UPDATE",
            job_ids,
        )
        return {str(r["id"]): state_from_row(r) for r in rows}
    versions = await conn.fetch(
        "SELECT id, last_event_seq, updated_at FROM tts_jobs WHERE id = ANY($1::uuid[])"
        " ORDER BY id FOR UPDATE",
        job_ids,
    )
    states: dict[str, JobState] = {}
    unknown: list[str] = []
    for version in versions:
        job_id = str(version["id"])
        state = known.state_at(job_id, version["last_event_seq"], version["updated_at"])
        if state is None:
            unknown.append(job_id)
        else:
            states[job_id] = state
    if unknown:  # locked above already
        rows = await conn.fetch(
            f"SELECT {', '.join(COLUMNS)} FROM tts_jobs WHERE id = ANY($1::uuid[])", unknown
        )
        states.update((str(r["id"]), state_from_row(r)) for r in rows)
    return states


async def save_jobs(
    conn: DbConnection, states: list[JobState], *, before: dict[str, JobState] | None = None
) -> None:
    """Insert or update each job's row. ``before``: rows as loaded for update in this
    transaction, which are then updated with only what can have changed."""
    before = before or {}
    new = [row_from_state(s) for s in states if s.id not in before]
    renamed: list[tuple[Any, ...]] = []
    updated: list[tuple[Any, ...]] = []
    for state in states:
        if (old := before.get(state.id)) is not None:
            search = state.title != old.title
            (renamed if search else updated).append(changes_from_state(state, search=search))
    for statement, rows in ((_UPSERT_JOB, new), (_UPDATE_JOB, updated),
                            (_UPDATE_JOB_AND_SEARCH, renamed)):  # fmt: skip
        if rows:
            await conn.executemany(statement, rows)


class Tables:
    """The ``ReadModel`` of handlers.py in PostgreSQL, remembering the states it committed
    (known_rows.py) when given somewhere to keep them."""

    def __init__(self, known: KnownRows | None = None) -> None:
        self._known = known

    async def load_jobs_for_update(
        self, conn: DbConnection, job_ids: list[str]
    ) -> dict[str, JobState]:
        return await load_jobs_for_update(conn, job_ids, known=self._known)

    async def ensure_users(self, conn: DbConnection, first_seen: dict[str, datetime]) -> None:
        await ensure_users(conn, first_seen)

    async def save_audio_files(self, conn: DbConnection, states: list[JobState]) -> None:
        await save_audio_files(conn, states)

    async def save_jobs(
        self, conn: DbConnection, states: list[JobState], *, before: dict[str, JobState]
    ) -> None:
        await save_jobs(conn, states, before=before)

    async def delete_job(self, conn: DbConnection, state: JobState) -> None:
        await delete_job(conn, state)

    async def save_position(
        self, conn: DbConnection, consumer: str, seq: int, at: datetime
    ) -> None:
        await save_position(conn, consumer, seq, at)

    def committed(self, states: list[JobState], gone: list[str]) -> None:
        if self._known is not None:
            self._known.committed(states, gone)


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


async def lock_job(conn: DbConnection, job_id: str) -> None:
    """Lock the job's row, if there is one, until the transaction ends: the live projection's
    next write of it waits for the commit."""
    await conn.execute("SELECT 1 FROM tts_jobs WHERE id = $1 FOR UPDATE", job_id)


async def delete_job_row(conn: DbConnection, job_id: str) -> None:
    """The job's row alone; its audio_files row stays, for a row written again to refer to."""
    await conn.execute("DELETE FROM tts_jobs WHERE id = $1", job_id)


async def mark_read_model_error(conn: DbConnection, job_id: str, note: str) -> bool:
    """Say on the job's row why an event of it could not be stored; False: there is no row."""
    marked = await conn.execute(
        "UPDATE tts_jobs SET read_model_error = $2 WHERE id = $1", job_id, note
    )
    return marked != "UPDATE 0"
