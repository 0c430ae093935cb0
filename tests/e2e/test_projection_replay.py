"""Replaying the whole stream into an empty database yields the same rows as the live table."""

from __future__ import annotations

import uuid

import pytest

from tests.support.jobs import (
    a_completed_and_a_failed_job,
    projection_caught_up,
    read_model_rows,
    replayed_rows,
)

pytestmark = pytest.mark.e2e


async def test_replay_into_an_empty_database_gives_identicalread_model_rows(api, stack, js, db):
    await a_completed_and_a_failed_job(api)
    await projection_caught_up(js, db)
    name = f"replay_{uuid.uuid4().hex[:8]}"
    replay_rows = await replayed_rows(stack, js, db, database=name, consumer=name)
    live_rows = await read_model_rows(db)
    assert live_rows["tts_jobs"], "the stream had jobs to replay"
    assert live_rows["api_keys"], "and keys"
    statuses = {r["status"] for r in live_rows["tts_jobs"]}
    assert {"completed", "failed"} <= statuses
    assert replay_rows == live_rows

    # Applying the same stream a second time changes nothing either.
    again = await replayed_rows(stack, js, db, database=name, consumer=f"{name}_again")
    assert again == live_rows
