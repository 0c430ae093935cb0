"""Composition root of the auditor: the ``auditor`` consumer until SIGTERM, probes beside it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from ttsjobs.contracts import subjects
from ttsjobs.messaging.topology import AUDITOR_DURABLE, auditor_consumer, ensure_consumer
from ttsjobs.observability import probes
from ttsjobs.runtime.worker import Probes, Worker, open_jetstream, run_worker
from ttsjobs_auditor.config import Settings
from ttsjobs_auditor.entrypoints.job_completed_consumer import build_runner


@asynccontextmanager
async def bootstrap(settings: Settings, *, burst: bool = False) -> AsyncIterator[Worker]:
    nc, js = await open_jetstream(settings, client_name="auditor")
    await ensure_consumer(js, auditor_consumer())
    runner = build_runner(js, slots=settings.auditor_concurrency, burst=burst)
    yield Worker(
        nc=nc,
        js=js,
        runners=[runner],
        probes=Probes(
            checks={"nats": probes.nats_check(nc)},
            consumers=[(subjects.STREAM, AUDITOR_DURABLE)],
        ),
        summary=lambda: {"processed": runner.processed},
    )


def run() -> None:
    run_worker("auditor", Settings(), bootstrap)


if __name__ == "__main__":
    run()
