"""Composition root of the notifier: the ``notifier`` consumer until SIGTERM, probes beside it."""

from __future__ import annotations

import asyncio
import signal

import httpx
import structlog
import uvloop

from ttsjobs.contracts import subjects
from ttsjobs.jobs.history import current_state
from ttsjobs.messaging.connect import connect_nats
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import (
    NOTIFIER_DURABLE,
    ensure_consumer,
    ensure_streams,
    notifier_consumer,
)
from ttsjobs.observability import probes
from ttsjobs.observability.logging import configure_logging
from ttsjobs.observability.tracing import configure_tracing
from ttsjobs.startup import with_retries
from ttsjobs_notifier.config import Settings
from ttsjobs_notifier.entrypoints.job_finished_consumer import build_runner
from ttsjobs_notifier.handlers import NotifierDeps

log = structlog.get_logger()


async def serve(settings: Settings, *, burst: bool = False) -> None:
    nc = await with_retries(lambda: connect_nats(settings.nats_url, name="notifier"), what="nats")
    js = nc.jetstream()
    await ensure_streams(js, retention=settings.retention, replicas=settings.stream_replicas)
    await ensure_consumer(js, notifier_consumer())

    async def read_state(job_id: str):
        return await current_state(js, job_id)

    async with httpx.AsyncClient(
        timeout=settings.webhook_timeout_s, follow_redirects=False
    ) as http:
        deps = NotifierDeps(
            publish=EventPublisher(js),
            read_state=read_state,
            http=http,
            secret=settings.webhook_secret.get_secret_value(),
            allowlist=settings.callback_allowlist,
            max_attempts=settings.webhook_max_attempts,
            backoff_base_s=settings.webhook_backoff_base_s,
            backoff_max_s=settings.webhook_backoff_max_s,
        )
        runner = build_runner(js, deps, slots=settings.webhook_concurrency, burst=burst)
        side_tasks = []
        if not burst:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, runner.stop)
            side_tasks = probes.start_beside(
                settings,
                js,
                checks={"nats": probes.nats_check(nc)},
                consumers=[(subjects.STREAM, NOTIFIER_DURABLE)],
            )
        log.info("notifier.ready", allowlist=settings.callback_allowlist)
        try:
            await runner.run()
        finally:
            for task in side_tasks:
                task.cancel()
            log.info("notifier.stopped", processed=runner.processed)
            await nc.drain()


def run() -> None:
    settings = Settings()
    configure_logging("notifier", level=settings.log_level)
    configure_tracing(
        "notifier", otlp_endpoint=settings.otlp_endpoint, trace_file=settings.trace_file
    )
    uvloop.run(serve(settings))


if __name__ == "__main__":
    run()
