"""The projection's writes in PostgreSQL, with the states it committed kept in memory: the
same rows as reading every row whole, updates of what changed only, and a row another writer
changed read again rather than taken from memory."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from tests.support.jobs import dialogue
from tests.unit.test_projection_handler import _expired
from ttsjobs.contracts.job_events import AudioObject, JobResult
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_gateway.publishers import job_cancel_requested, job_created, job_renamed
from ttsjobs_projection.handlers import UNREMEMBERED, apply_job_events
from ttsjobs_projection.known_rows import KnownRows
from ttsjobs_projection.repository import Tables
from ttsjobs_projection.schema import migrate
from ttsjobs_synthesis.publishers import job_completed, job_progressed, job_started

pytestmark = pytest.mark.usefixtures("servers")


@pytest.fixture
async def schemas(servers) -> AsyncIterator[tuple[asyncpg.Connection, asyncpg.Connection]]:
    """Two connections, each on a freshly migrated schema of its own."""
    url = servers.env["TTSJOBS_DATABASE_URL"]
    names = [f"tables_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    conns = []
    try:
        for name in names:
            conn = await asyncpg.connect(url, server_settings={"search_path": f"{name},public"})
            conns.append(conn)
            await conn.execute(f'CREATE SCHEMA "{name}"')
            await migrate(conn)
        yield conns[0], conns[1]
    finally:
        for conn, name in zip(conns, names, strict=False):
            await conn.execute(f'DROP SCHEMA "{name}" CASCADE')
            await conn.close()


def _user() -> str:
    return str(uuid.uuid4())


def _created(user: str, title: str = "first title"):
    return job_created(
        MultiRoleRequest.model_validate(dialogue("espeak", title=title)), user_id=user
    )


def _completed(job_id: str, user: str):
    audio = AudioObject(bucket="b", object_key=f"jobs/{job_id}/audio.wav", size_bytes=10,
                        content_type="audio/wav", format="wav", sample_rate=16000)  # fmt: skip
    result = JobResult(duration_ms=1000, latency_ms=10, turn_timings=[], audio=audio)
    return job_completed(job_id, result, user_id=user)


def _history() -> list:
    """Two users' jobs through every kind of change the rows hold."""
    alice, bob = _user(), _user()
    a, b, c = _created(alice), _created(bob, "bob's"), _created(alice, "to expire")
    events = [
        a,
        b,
        job_started(a.job_id, user_id=alice, worker="w", attempt=1),
        c,
        job_progressed(a.job_id, user_id=alice, done=1, total=2, turn_index=0, eta_ms=90),
        job_renamed(a.job_id, user_id=alice, title="renamed while running"),
        job_started(b.job_id, user_id=bob, worker="w", attempt=1),
        job_cancel_requested(b.job_id, user_id=bob),
        _completed(a.job_id, alice),
        job_renamed(a.job_id, user_id=alice, title=None),
        _expired(c.job_id, c.time),
        a,  # a redelivered JobCreated: stale
    ]
    return [(event, seq) for seq, event in enumerate(events, 1)]


async def _rows(conn: asyncpg.Connection) -> list[dict]:
    jobs = await conn.fetch("SELECT * FROM tts_jobs ORDER BY id")
    audio = await conn.fetch("SELECT * FROM audio_files ORDER BY id")
    users = await conn.fetch("SELECT * FROM users ORDER BY id")
    return [dict(r) for r in [*jobs, *audio, *users]]


async def test_remembered_states_write_the_rows_that_reading_every_row_writes(schemas):
    remembered, whole = schemas
    tables = Tables(KnownRows())
    for event, seq in _history():  # one event per batch, as under load
        await apply_job_events([(event, seq)], conn=remembered, consumer="p", tables=tables)
        await apply_job_events([(event, seq)], conn=whole, consumer="p", tables=UNREMEMBERED)
    assert await _rows(remembered) == await _rows(whole)
    searched = await remembered.fetch("SELECT title, search_text FROM tts_jobs ORDER BY title")
    assert [r["search_text"].split("\n")[0] for r in searched] == [
        r["title"] or "" for r in searched
    ]


async def test_a_row_another_writer_changed_is_read_again(schemas):
    conn, _ = schemas
    tables = Tables(KnownRows())
    user = _user()
    created = _created(user)
    await apply_job_events([(created, 1)], conn=conn, consumer="p", tables=tables)
    # What a dead letter's replay does: the row written again from the job's events, here
    # with a title this process never applied.
    await conn.execute(
        "UPDATE tts_jobs SET title = 'from another writer', last_event_seq = 5 WHERE id = $1",
        created.job_id,
    )
    started = job_started(created.job_id, user_id=user, worker="w", attempt=1)
    await apply_job_events([(started, 6)], conn=conn, consumer="p", tables=tables)
    row = await conn.fetchrow("SELECT status, title FROM tts_jobs WHERE id = $1", created.job_id)
    assert (row["status"], row["title"]) == ("processing", "from another writer")
