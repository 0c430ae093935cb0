"""`ttsjobs projection rebuild` on the live stack: the rebuilt tables equal the live ones, and
readers going through the gateway (as its read-only role) never get an error meanwhile."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

from tests.support.jobs import (
    a_completed_and_a_failed_job,
    dialogue,
    projection_caught_up,
    read_model_rows,
    submit,
    wait_for_status,
)
from ttsjobs.contracts import subjects

pytestmark = pytest.mark.e2e


async def test_rebuild_swaps_in_identical_rows_while_reads_go_on(api, stack, js, db):
    done, _ = await a_completed_and_a_failed_job(api)
    await projection_caught_up(js, db)
    before = await read_model_rows(db)

    reads: list[int] = []
    stop = asyncio.Event()

    async def keep_reading() -> None:
        while not stop.is_set():
            listed = await api.get("/api/v1/jobs", params={"limit": 5})
            one = await api.get(f"/api/v1/jobs/{done['id']}")
            reads.extend([listed.status_code, one.status_code])
            assert one.json()["status"] == "completed"

    reader = asyncio.create_task(keep_reading())
    env = {**os.environ, **{k: stack.env[k] for k in ("TTSJOBS_NATS_URL", "TTSJOBS_DATABASE_URL")}}
    cli = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ttsjobs_cli.main", "projection", "rebuild",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(cli.communicate(), timeout=300)
    stop.set()
    await reader
    assert cli.returncode == 0, output.decode()[-3000:]
    assert "rebuilt the read model" in output.decode()

    assert reads and set(reads) == {200}, "no read failed during the rebuild"
    assert await read_model_rows(db) == before
    # The gateway still reads as its SELECT-only role, and the live projection goes on.
    job = await submit(api, dialogue("espeak", title="after the rebuild"))
    await wait_for_status(api, job["id"], {"completed"})
    assert await db.fetchval("SELECT count(*) FROM tts_jobs WHERE id = $1", job["id"]) == 1
    leftovers = await db.fetchval(
        "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild_%'"
    )
    assert leftovers == 0
    consumers = [c.name async for c in _consumer_names(js)]
    assert not [c for c in consumers if c.startswith("rebuild_")]


async def _consumer_names(js):
    for stream in (subjects.STREAM, subjects.ACCOUNTS_STREAM):
        for info in await js.consumers_info(stream):
            yield info
