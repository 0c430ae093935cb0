"""Operator commands: ``ttsjobs setup`` (streams, bucket, tables, once before the services) and
``ttsjobs projection rebuild`` (the read model replayed from the streams and swapped in)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console

from ttsjobs.cli.users import settings_for

console = Console()


def rebuild_projection(data_dir: Path) -> int:
    from ttsjobs_projection.config import Settings
    from ttsjobs_projection.rebuild import rebuild

    common = settings_for(data_dir)
    settings = Settings(
        **{k: v for k, v in common.model_dump().items() if k in Settings.model_fields}
    )
    report = asyncio.run(rebuild(settings))
    console.print(
        f"rebuilt the read model: {report.events_replayed} events replayed, "
        f"{report.events_caught_up} caught up after the swap, {report.jobs} jobs; "
        f"readers waited at most {report.swap_ms:.0f} ms for the swap"
    )
    return 0


def setup(data_dir: Path) -> int:
    """Idempotent: the JetStream streams, the S3 bucket and the PostgreSQL schema. Each service
    also makes what it needs at start; this makes it all once, before any of them (compose's
    and Kubernetes' one-shot setup job)."""
    import asyncpg
    import nats

    from ttsjobs.messaging.topology import ensure_streams
    from ttsjobs.storage import ensure_bucket, s3_client
    from ttsjobs_projection.schema import migrate

    settings = settings_for(data_dir)

    async def go() -> list[int]:
        nc = await nats.connect(settings.nats_url, connect_timeout=10)
        try:
            await ensure_streams(
                nc.jetstream(), retention=settings.retention, replicas=settings.stream_replicas
            )
        finally:
            await nc.close()
        conn = await asyncpg.connect(settings.database_url.get_secret_value(), timeout=10)
        try:
            return await migrate(conn)
        finally:
            await conn.close()

    migrations = asyncio.run(go())
    ensure_bucket(s3_client(settings), settings.s3_bucket)
    console.print(
        f"streams ready ({settings.stream_replicas} replica(s)), bucket {settings.s3_bucket} "
        f"ready, migrations applied now: {migrations or 'none'}"
    )
    return 0
