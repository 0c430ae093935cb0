"""Composition root of the projection: migrate the schema, then apply job and account events
until SIGTERM."""

from __future__ import annotations

import asyncio
import signal

import asyncpg
import structlog
import uvloop

from ttsjobs.contracts import subjects
from ttsjobs.messaging.connect import connect_nats
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import (
    accounts_projection_consumer,
    ensure_consumer,
    ensure_streams,
    projection_consumer,
)
from ttsjobs.observability import metrics, probes
from ttsjobs.observability.logging import configure_logging
from ttsjobs.observability.tracing import configure_tracing
from ttsjobs.startup import with_retries
from ttsjobs.storage import s3_client
from ttsjobs_projection.config import Settings
from ttsjobs_projection.entrypoints import account_events_consumer, job_events_consumer
from ttsjobs_projection.janitor import run_periodically
from ttsjobs_projection.schema import migrate

log = structlog.get_logger()


async def serve(settings: Settings, *, burst: bool = False) -> int:
    """Runs until stopped (or, with burst, until the stream is drained); returns the job events
    it is done with: applied, or dead-lettered (a replay counts both as passed)."""
    pool = await with_retries(
        lambda: asyncpg.create_pool(
            settings.database_url.get_secret_value(), min_size=1, max_size=4
        ),
        what="postgresql",
    )
    try:
        async with pool.acquire() as conn:
            applied = await migrate(conn)
        log.info("projection.schema_ready", migrations_applied=applied)
        nc = await with_retries(
            lambda: connect_nats(settings.nats_url, name="projection"), what="nats"
        )
        js = nc.jetstream()
        await ensure_streams(js, retention=settings.retention, replicas=settings.stream_replicas)
        await ensure_consumer(js, projection_consumer(settings.projection_consumer))
        await ensure_consumer(
            js,
            accounts_projection_consumer(settings.accounts_consumer),
            stream=subjects.ACCOUNTS_STREAM,
        )
        jobs_letters, accounts_letters = settings.letter_names
        runner = job_events_consumer.build_runner(
            js,
            pool,
            consumer=settings.projection_consumer,
            burst=burst,
            dead_letter_after=settings.dead_letter_after,
            letters_as=jobs_letters,
        )
        accounts = account_events_consumer.build_runner(
            js,
            pool,
            consumer=settings.accounts_consumer,
            burst=burst,
            dead_letter_after=settings.dead_letter_after,
            letters_as=accounts_letters,
        )
        janitor = None
        if not burst and settings.janitor_interval_s > 0:
            s3 = s3_client(settings)
            janitor = asyncio.create_task(
                run_periodically(
                    pool,
                    s3,
                    settings.s3_bucket,
                    EventPublisher(js),
                    retention=settings.retention,
                    every_s=settings.janitor_interval_s,
                )
            )
        side_tasks = []
        if not burst:
            side_tasks = probes.start_beside(
                settings,
                js,
                checks={
                    "nats": probes.nats_check(nc),
                    "postgresql": probes.postgres_check(pool),
                    "s3": probes.s3_check(s3_client(settings), settings.s3_bucket),
                },
                consumers=[
                    (subjects.STREAM, settings.projection_consumer),
                    (subjects.ACCOUNTS_STREAM, settings.accounts_consumer),
                ],
                lag_gauge=metrics.PROJECTION_LAG_EVENTS,
                degraded=probes.dead_letters_check(js, settings.letter_names),
            )
        if not burst:
            loop = asyncio.get_running_loop()

            def stop_consuming() -> None:
                runner.stop()
                accounts.stop()

            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop_consuming)
        log.info("projection.ready", consumer=settings.projection_consumer)
        try:
            await asyncio.gather(runner.run(), accounts.run())
        finally:
            if janitor is not None:
                janitor.cancel()
            for task in side_tasks:
                task.cancel()
            log.info(
                "projection.stopped",
                applied=runner.processed,
                dead_lettered=runner.dead_lettered,
                accounts_applied=accounts.processed,
            )
            await nc.drain()
        return runner.processed + runner.dead_lettered
    finally:
        await pool.close()


def run() -> None:
    settings = Settings()
    configure_logging("projection", level=settings.log_level)
    configure_tracing(
        "projection", otlp_endpoint=settings.otlp_endpoint, trace_file=settings.trace_file
    )
    uvloop.run(serve(settings))


if __name__ == "__main__":
    run()
