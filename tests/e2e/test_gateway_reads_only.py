"""The gateway never writes the job table: in the test stack it runs as a SELECT-only role."""

from __future__ import annotations

import asyncpg
import pytest

from tests.support.jobs import dialogue, submit, wait_for_status

pytestmark = pytest.mark.e2e


async def test_gateway_role_can_read_but_not_write(api, stack):
    url = stack.env.get("TTSJOBS_GATEWAY_DATABASE_URL")
    if url is None:
        pytest.skip("external database: the operator sets the gateway's role")
    job = await submit(api, dialogue("espeak"))
    await wait_for_status(api, job["id"], {"completed"})  # served while read-only
    conn = await asyncpg.connect(url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM tts_jobs") >= 1
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("UPDATE tts_jobs SET status = 'failed' WHERE id = $1", job["id"])
    finally:
        await conn.close()
