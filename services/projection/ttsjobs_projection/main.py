"""Composition root of the projection: migrate the schema, then apply job and account events
until SIGTERM, with the janitor and the probes beside them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import structlog

from ttsjobs.messaging.dead_letters import count_letters
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import ensure_consumer
from ttsjobs.observability import metrics, probes
from ttsjobs.runtime.worker import Probes, Worker, open_jetstream, run_worker, serve_worker
from ttsjobs.startup import with_retries
from ttsjobs.storage import s3_client
from ttsjobs_projection.config import Settings
from ttsjobs_projection.entrypoints import account_events_consumer, job_events_consumer
from ttsjobs_projection.janitor import remove_under, run_periodically
from ttsjobs_projection.schema import migrate
from ttsjobs_projection.subscriptions import ACCOUNT_EVENTS_SUBSCRIPTION, JOB_EVENTS_SUBSCRIPTION

log = structlog.get_logger()


@asynccontextmanager
async def bootstrap(settings: Settings, *, burst: bool = False) -> AsyncIterator[Worker]:
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
        nc, js = await open_jetstream(settings, client_name="projection")
        job_events = JOB_EVENTS_SUBSCRIPTION.named(settings.projection_consumer)
        account_events = ACCOUNT_EVENTS_SUBSCRIPTION.named(settings.accounts_consumer)
        await ensure_consumer(js, job_events)
        await ensure_consumer(js, account_events)
        jobs_letters, accounts_letters = settings.letter_names
        s3 = s3_client(settings)

        async def remove_object(bucket: str, key: str) -> None:
            await asyncio.to_thread(s3.remove_object, bucket, key)

        async def remove_folder(prefix: str) -> None:
            await asyncio.to_thread(remove_under, s3, settings.s3_bucket, prefix)

        jobs = job_events_consumer.build_runner(
            js,
            pool,
            consumer=settings.projection_consumer,
            burst=burst,
            dead_letter_after=settings.dead_letter_after,
            letters_as=jobs_letters,
            remove_object=remove_object,
            remove_folder=remove_folder,
        )
        accounts = account_events_consumer.build_runner(
            js,
            pool,
            consumer=settings.accounts_consumer,
            burst=burst,
            dead_letter_after=settings.dead_letter_after,
            letters_as=accounts_letters,
        )

        async def janitor() -> None:
            await run_periodically(
                pool,
                s3_client(settings),
                settings.s3_bucket,
                EventPublisher(js),
                retention=settings.retention,
                every_s=settings.janitor_interval_s,
            )

        yield Worker(
            nc=nc,
            js=js,
            runners=[jobs, accounts],
            probes=Probes(
                checks={
                    "nats": probes.nats_check(nc),
                    "postgresql": probes.postgres_check(pool),
                    "s3": probes.s3_check(s3_client(settings), settings.s3_bucket),
                },
                consumers=[job_events.address, account_events.address],
                lag_gauge=metrics.PROJECTION_LAG_EVENTS,
                degraded=probes.dead_letters_check(js, settings.letter_names, count_letters),
            ),
            ready={"consumer": settings.projection_consumer},
            summary=lambda: {
                "applied": jobs.processed,
                "dead_lettered": jobs.dead_lettered,
                "accounts_applied": accounts.processed,
            },
            background=[janitor] if settings.janitor_interval_s > 0 else [],
        )
    finally:
        await pool.close()


async def serve(settings: Settings, *, burst: bool = False) -> int:
    """Runs until stopped (or, with burst, until the stream is drained); returns the job events
    it is done with: applied, or dead-lettered (a replay counts both as passed)."""
    stopped = await serve_worker("projection", settings, bootstrap, burst=burst)
    return stopped["applied"] + stopped["dead_lettered"]


def run() -> None:
    run_worker("projection", Settings(), bootstrap)


if __name__ == "__main__":
    run()
