"""Replaying the whole stream into an empty database yields the same rows as the live table."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from tests.support.jobs import a_completed_and_a_failed_job, projection_caught_up, read_model_rows
from ttsjobs.contracts import subjects
from ttsjobs_projection.config import Settings as ProjectionSettings
from ttsjobs_projection.main import serve as serve_projection

pytestmark = pytest.mark.e2e


def _database_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


async def test_replay_into_an_empty_database_gives_identicalread_model_rows(api, stack, js, db):
    await a_completed_and_a_failed_job(api)
    await projection_caught_up(js, db)
    last_seq = (await js.stream_info(subjects.STREAM)).state.last_seq

    name = f"replay_{uuid.uuid4().hex[:8]}"
    await db.execute(f'CREATE DATABASE "{name}"')
    url = _database_url(stack.env["TTSJOBS_DATABASE_URL"], name)
    settings = ProjectionSettings(
        nats_url=stack.env["TTSJOBS_NATS_URL"],
        database_url=url,
        projection_consumer=name,
        accounts_consumer=f"{name}-accounts",
    )
    applied = await serve_projection(settings, burst=True)
    assert applied >= last_seq

    replayed = await asyncpg.connect(url)
    try:
        live_rows, replay_rows = await read_model_rows(db), await read_model_rows(replayed)
    finally:
        await replayed.close()
        await js.delete_consumer(subjects.STREAM, name)
        await js.delete_consumer(subjects.ACCOUNTS_STREAM, f"{name}-accounts")
    assert live_rows["tts_jobs"], "the stream had jobs to replay"
    assert live_rows["api_keys"], "and keys"
    statuses = {r["status"] for r in live_rows["tts_jobs"]}
    assert {"completed", "failed"} <= statuses
    assert replay_rows == live_rows

    # Applying the same stream a second time changes nothing either.
    await serve_projection(
        settings.model_copy(
            update={"projection_consumer": f"{name}_again", "accounts_consumer": f"{name}_again_a"}
        ),
        burst=True,
    )
    again = await asyncpg.connect(url)
    try:
        assert await read_model_rows(again) == live_rows
    finally:
        await again.close()
        await js.delete_consumer(subjects.STREAM, f"{name}_again")
