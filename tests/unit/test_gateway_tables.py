"""The gateway's reads before the projection has created its tables, and with PostgreSQL away."""

from __future__ import annotations

import asyncpg
import pytest

from ttsjobs_gateway.errors import StoreUnavailable
from ttsjobs_gateway.reads import pages, tables

USER = "00000000-0000-4000-8000-000000000001"
JOB = "00000000-0000-4000-8000-000000000002"


class FailingPool:
    """Every query raises ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def fetch(self, *_args):
        raise self.error

    async def fetchrow(self, *_args):
        raise self.error

    async def fetchval(self, *_args):
        raise self.error

    def acquire(self):
        raise self.error


NO_TABLE = asyncpg.UndefinedTableError('relation "tts_jobs" does not exist')


async def test_before_the_schema_exists_every_read_finds_nothing():
    pool = FailingPool(NO_TABLE)
    assert await tables.job(pool, JOB, USER) is None
    assert await tables.refuse_foreign(pool, JOB, USER) is None
    assert await pages.jobs_page(pool, USER, limit=10) == ([], None)
    assert await pages.jobs_page(pool, USER, limit=10, q="hello") == ([], None)
    assert await pages.jobs_page(pool, USER, limit=10, q="a") == ([], None)
    assert await tables.active_jobs_at_position(pool, USER) == (0, [])
    assert await tables.pending_count(pool, USER) == 0


async def test_before_the_schema_exists_a_key_cannot_be_checked():
    with pytest.raises(StoreUnavailable):
        await tables.active_key(FailingPool(NO_TABLE), "k1")


async def test_a_database_that_is_away_is_store_unavailable():
    pool = FailingPool(OSError("connection refused"))
    with pytest.raises(StoreUnavailable):
        await pages.jobs_page(pool, USER, limit=10)
    with pytest.raises(StoreUnavailable):
        await tables.active_jobs_at_position(pool, USER)
