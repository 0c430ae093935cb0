"""SQL of a rebuild (rebuild.py): a schema of its own to replay into, the swap that moves its
tables into ``public`` in place of the live ones, and the clean-up after."""

from __future__ import annotations

import asyncpg

# In dependency order: api_keys and tts_jobs refer to users.
TABLES = (
    "api_keys",
    "tts_jobs",
    "audio_files",
    "users",
    "projection_positions",
    "schema_migrations",
)


async def create_schema(conn: asyncpg.Connection, schema: str) -> None:
    await conn.execute(f'CREATE SCHEMA "{schema}"')


async def drop_schema(conn: asyncpg.Connection, schema: str) -> None:
    """Gone with whatever it holds; no error when it is not there (swapped in, or never made)."""
    await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


async def swap_tables(
    conn: asyncpg.Connection, schema: str, positions: list[tuple[str, str]]
) -> None:
    """In one transaction, ``schema``'s tables take the place of public's, with the grants the
    old ones had. ``positions``: (live consumer, rebuild consumer) pairs; each live consumer's
    position becomes what its rebuild consumer reached, so it goes on from there."""
    async with conn.transaction():
        grants = await conn.fetch(
            "SELECT table_name, grantee, privilege_type FROM information_schema.role_table_grants"
            " WHERE table_schema = 'public' AND table_name = ANY($1::text[])"
            " AND grantee <> current_user",
            list(TABLES),
        )
        # Readers wait from here to the commit; they never find a table missing.
        await conn.execute(
            f"LOCK TABLE {', '.join(f'public.{t}' for t in TABLES)} IN ACCESS EXCLUSIVE MODE"
        )
        for live, mine in positions:
            await conn.execute(
                f'INSERT INTO "{schema}".projection_positions (consumer, stream_seq, applied_at)'
                f' SELECT $1, stream_seq, applied_at FROM "{schema}".projection_positions'
                " WHERE consumer = $2",
                live,
                mine,
            )
        await conn.execute(f"DROP TABLE {', '.join(f'public.{t}' for t in TABLES)} CASCADE")
        for table in TABLES:
            await conn.execute(f'ALTER TABLE "{schema}".{table} SET SCHEMA public')
        for grant in grants:
            await conn.execute(
                f"GRANT {grant['privilege_type']} ON public.{grant['table_name']}"
                f' TO "{grant["grantee"]}"'
            )


async def forget_positions(conn: asyncpg.Connection, consumers: list[str]) -> None:
    """The position rows of the rebuild's own consumers, which were swapped in with its tables."""
    await conn.execute(
        "DELETE FROM projection_positions WHERE consumer = ANY($1::text[])", consumers
    )


async def count_jobs(conn: asyncpg.Connection) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM tts_jobs")
    return count
