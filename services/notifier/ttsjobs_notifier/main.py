"""Composition root of the notifier: the ``notifier`` consumer until SIGTERM, probes beside it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from ttsjobs.messaging.job_history import StreamJobHistory
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import ensure_consumer
from ttsjobs.observability import probes
from ttsjobs.runtime.worker import Probes, Worker, open_jetstream, run_worker
from ttsjobs_notifier.config import Settings
from ttsjobs_notifier.entrypoints.job_finished_consumer import build_runner
from ttsjobs_notifier.handlers import NotifierDeps
from ttsjobs_notifier.subscriptions import JOB_FINISHED_SUBSCRIPTION


@asynccontextmanager
async def bootstrap(settings: Settings, *, burst: bool = False) -> AsyncIterator[Worker]:
    nc, js = await open_jetstream(settings, client_name="notifier")
    await ensure_consumer(js, JOB_FINISHED_SUBSCRIPTION)

    publish = EventPublisher(js)
    async with httpx.AsyncClient(
        timeout=settings.webhook_timeout_s, follow_redirects=False
    ) as http:
        deps = NotifierDeps(
            publish=publish,
            jobs=StreamJobHistory(js, publish),
            http=http,
            secret=settings.webhook_secret.get_secret_value(),
            allowlist=settings.callback_allowlist,
            max_attempts=settings.webhook_max_attempts,
            backoff_base_s=settings.webhook_backoff_base_s,
            backoff_max_s=settings.webhook_backoff_max_s,
        )
        runner = build_runner(js, deps, slots=settings.webhook_concurrency, burst=burst)
        yield Worker(
            nc=nc,
            js=js,
            runners=[runner],
            probes=Probes(
                checks={"nats": probes.nats_check(nc)},
                consumers=[JOB_FINISHED_SUBSCRIPTION.address],
            ),
            ready={"allowlist": settings.callback_allowlist},
            summary=lambda: {"processed": runner.processed},
        )


def run() -> None:
    run_worker("notifier", Settings(), bootstrap)


if __name__ == "__main__":
    run()
