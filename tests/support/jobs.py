"""Helpers that speak to the gateway the way a client would."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.conftest import eventually

SUBMIT = "/api/v1/jobs/tts/multi-role"
# A turn the door takes but piper cannot say, for a job that fails in synthesis: a modifier
# letter (so it has something to say, by the door's rule) that piper's phonemizer drops.
# Punctuation alone ("...") is refused at the door since issue 29.
UNSAYABLE = "\ua788"


def dialogue(provider: str = "piper", **overrides: Any) -> dict[str, Any]:
    # A voice of each provider the suite's stack runs (tests/conftest.py).
    voice = {"piper": "en_US-joe-medium", "espeak": "en-us", "kokoro": "af_heart",
             "tone": "mid"}[provider]  # fmt: skip
    body: dict[str, Any] = {
        "provider": provider,
        "title": "Two friends",
        "turns": [
            {"speaker": "Alice", "text": "Good morning, Bob. Did you sleep well?"},
            {"speaker": "Bob", "text": "I did, thank you. The rain was soothing."},
            {"speaker": "Alice", "text": "Then let us go for a walk."},
        ],
        "voice_assignments": {
            "Alice": {"voice": voice},
            "Bob": {"voice": voice, "speed": 1.25},
        },
    }
    body.update(overrides)
    return body


async def submit(api: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await api.post(SUBMIT, json=body)
    assert response.status_code == 202, response.text
    return response.json()


async def wait_for_status(
    api: httpx.AsyncClient,
    job_id: str,
    statuses: set[str],
    *,
    timeout_s: float = 120,
    interval_s: float = 0.05,
) -> dict[str, Any]:
    async def reached():
        job = (await api.get(f"/api/v1/jobs/{job_id}")).json()
        return job if job["status"] in statuses else None

    return await eventually(
        reached, timeout_s=timeout_s, what=f"job {job_id} in {statuses}", interval_s=interval_s
    )


def long_tone_job(turns: int, *, pause_ms: int, title: str) -> dict[str, Any]:
    """48 kHz WAV from the tone provider: each turn 8 s of tone, then ``pause_ms`` of silence."""
    return {
        "provider": "tone",
        "title": title,
        "turns": [
            {"speaker": "A" if i % 2 else "B", "text": f"turn {i} " + "la " * 200}
            for i in range(turns)
        ],
        "voice_assignments": {
            "A": {"voice": "mid", "speed": 0.5},
            "B": {"voice": "high", "speed": 0.5},
        },
        "output_format": "wav",
        "sample_rate": 48000,
        "pause_ms": pause_ms,
    }


def stack_bucket(stack):
    from ttsjobs.settings import CommonSettings
    from ttsjobs.storage import s3_client

    return s3_client(
        CommonSettings(
            s3_endpoint=stack.env["TTSJOBS_S3_ENDPOINT"],
            s3_access_key=stack.env.get("TTSJOBS_S3_ACCESS_KEY", "ttsjobs"),
            s3_secret_key=stack.env.get("TTSJOBS_S3_SECRET_KEY", "ttsjobs-secret"),
        )
    )


def stored_timing(stack, job: dict[str, Any]) -> dict[str, Any]:
    """A completed job's word-timing object, read from the stack's bucket as stored."""
    result = job["result"]
    got = stack_bucket(stack).get_object(result["audio"]["bucket"], result["timing"]["key"])
    try:
        return json.loads(got.read())
    finally:
        got.close()
        got.release_conn()


async def a_completed_and_a_failed_job(api: httpx.AsyncClient) -> tuple[dict, dict]:
    """One job of each ending, both finished."""
    completed = await submit(api, dialogue("espeak"))
    failing = dialogue("piper")
    failing["turns"][0]["text"] = UNSAYABLE
    failed = await submit(api, failing)
    await wait_for_status(api, completed["id"], {"completed"})
    await wait_for_status(api, failed["id"], {"failed"})
    return completed, failed


TABLES = {"tts_jobs": "id", "audio_files": "id", "users": "id", "api_keys": "key_id"}


async def read_model_rows(conn) -> dict[str, list[dict]]:
    """Every row of the read model's tables, in a stable order."""
    return {
        table: [dict(r) for r in await conn.fetch(f"SELECT * FROM {table} ORDER BY {key}")]
        for table, key in TABLES.items()
    }


async def projection_caught_up(js, db) -> None:
    """Wait until the live projection has applied everything now in the job stream."""
    from ttsjobs.contracts import subjects

    last_seq = (await js.stream_info(subjects.STREAM)).state.last_seq

    async def caught_up():
        seq = await db.fetchval(
            "SELECT stream_seq FROM projection_positions WHERE consumer = 'projection'"
        )
        return seq is not None and seq >= last_seq

    await eventually(caught_up, what="live projection at the stream's end")


async def replayed_rows(stack, js, db, *, database: str, consumer: str) -> dict[str, list[dict]]:
    """Replay both streams from the start into ``database`` (made if missing) with a projection
    of consumers of its own, and return that database's rows: what the live table should hold."""
    from urllib.parse import urlsplit, urlunsplit

    import asyncpg

    from ttsjobs.contracts import subjects
    from ttsjobs_projection.config import Settings as ProjectionSettings
    from ttsjobs_projection.main import serve as serve_projection

    if not await db.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
        await db.execute(f'CREATE DATABASE "{database}"')
    parts = urlsplit(stack.env["TTSJOBS_DATABASE_URL"])
    url = urlunsplit(parts._replace(path=f"/{database}"))
    settings = ProjectionSettings(
        nats_url=stack.env["TTSJOBS_NATS_URL"],
        database_url=url,
        projection_consumer=consumer,
        accounts_consumer=f"{consumer}-accounts",
        # The stack's S3: a replay applies the deletions again, and removing what is gone
        # already is a quick 404 there, where an S3 that does not answer retries for minutes.
        s3_endpoint=stack.env["TTSJOBS_S3_ENDPOINT"],
        s3_access_key=stack.env["TTSJOBS_S3_ACCESS_KEY"],
        s3_secret_key=stack.env["TTSJOBS_S3_SECRET_KEY"],
    )
    last_seq = (await js.stream_info(subjects.STREAM)).state.last_seq
    try:
        assert await serve_projection(settings, burst=True) >= last_seq
        replayed = await asyncpg.connect(url)
        try:
            return await read_model_rows(replayed)
        finally:
            await replayed.close()
    finally:
        await js.delete_consumer(subjects.STREAM, consumer)
        await js.delete_consumer(subjects.ACCOUNTS_STREAM, f"{consumer}-accounts")
