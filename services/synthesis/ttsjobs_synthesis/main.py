"""Composition root of the synthesis service: connect, declare topology, start the listed
providers' engines (providers/registry.py), publish the voice catalogue, then run the JobCreated
consumer until SIGTERM hands its running jobs back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from minio import Minio
from nats.js import JetStreamContext

from ttsjobs.aio.tasks import stop_task
from ttsjobs.contracts.job_events import JobCreated, JobEvent
from ttsjobs.messaging.advisories import on_exhausted_deliveries
from ttsjobs.messaging.catalogue import publish_catalogue
from ttsjobs.messaging.consumer import ConsumerRunner, RunnerOptions
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import Subscription, ensure_consumer
from ttsjobs.messaging.user_slots import UserSlots, user_slots_bucket
from ttsjobs.observability import probes
from ttsjobs.runtime.worker import Probes, Worker, open_jetstream, run_worker
from ttsjobs.startup import with_retries
from ttsjobs.storage import BucketStore, ensure_bucket, s3_client
from ttsjobs_synthesis import publishers, spool
from ttsjobs_synthesis.cancel_watch import CancelWatch
from ttsjobs_synthesis.config import Settings
from ttsjobs_synthesis.engines import ProviderEngines
from ttsjobs_synthesis.entrypoints.job_created_consumer import build_runner
from ttsjobs_synthesis.entrypoints.pronunciation_requests import PreviewAnswers
from ttsjobs_synthesis.entrypoints.voice_preview_requests import VoicePreviewAnswers
from ttsjobs_synthesis.handlers import SynthesisPolicy
from ttsjobs_synthesis.providers.kokoro_assets import KokoroSettings
from ttsjobs_synthesis.providers.registry import provider_engines
from ttsjobs_synthesis.segment_memory import SegmentMemory
from ttsjobs_synthesis.subscriptions import SynthesisConsumerPolicy, job_created_subscription

log = structlog.get_logger()


def user_of(event: JobEvent) -> str:
    return event.data.user_id if isinstance(event, JobCreated) else ""


@asynccontextmanager
async def bootstrap(settings: Settings, *, burst: bool = False) -> AsyncIterator[Worker]:
    nc, js = await open_jetstream(settings, client_name=f"synthesis@{settings.worker_name}")
    subscription = job_created_subscription(
        SynthesisConsumerPolicy(
            worker_slots=settings.worker_slots,
            replicas=settings.replicas,
            ack_wait_s=settings.ack_wait_s,
            max_deliver=settings.max_deliver,
            prefetch=settings.prefetch,
            fair_window=settings.fair_window,
        )
    )
    await ensure_consumer(js, subscription)
    s3 = s3_client(settings)
    await with_retries(lambda: asyncio.to_thread(ensure_bucket, s3, settings.s3_bucket), what="s3")
    if removed := await asyncio.to_thread(spool.prepare, settings.spool_dir):
        log.info("spool.stale_files_removed", count=removed)
    engines = await asyncio.to_thread(
        provider_engines, settings.providers, turn_timeout_s=settings.turn_timeout_s
    )
    try:
        await engines.start()
        for catalogue in engines.catalogues():
            await publish_catalogue(js, catalogue, replicas=settings.stream_replicas)
        # Off the start-up path: Kokoro's sample sentence takes seconds on a busy machine.
        speeds = asyncio.create_task(_publish_speeds(js, engines))
        # Set on SIGTERM: running jobs stop at their next turn and go back to the stream,
        # where another worker resumes them from the cached turns.
        draining = asyncio.Event()
        cancels = CancelWatch(nc, js)
        await cancels.start()
        slots = UserSlots(
            await user_slots_bucket(
                js, lease_ttl_s=settings.user_lease_ttl_s, replicas=settings.stream_replicas
            ),
            limit=settings.per_user_limit,
        )
        runner = _job_created_runner(
            settings, subscription, js, s3, engines, cancels, draining, slots, burst=burst
        )
        await on_exhausted_deliveries(nc, js, subscription.durable, _fail_abandoned_job(js))
        previews = await PreviewAnswers(KokoroSettings().dir).serve(nc)
        voice_previews = VoicePreviewAnswers(engines, BucketStore(s3, settings.s3_bucket))
        await voice_previews.serve(nc)
        yield Worker(
            nc=nc,
            js=js,
            runners=[runner],
            probes=Probes(
                checks={
                    "nats": probes.nats_check(nc),
                    "s3": probes.s3_check(s3, settings.s3_bucket),
                },
                consumers=[subscription.address],
            ),
            ready={
                "slots": settings.worker_slots,
                "engines": {
                    c.provider: engines.parallelism(c.provider) for c in engines.catalogues()
                },
            },
            summary=lambda: {"processed": runner.processed},
            on_drain=draining.set,
            closing=[
                previews.unsubscribe,
                voice_previews.stop,
                slots.let_go_all,
                lambda: stop_task(speeds),
            ],
        )
    finally:
        await asyncio.to_thread(engines.close)


async def _publish_speeds(js: JetStreamContext, engines: ProviderEngines) -> None:
    """Each engine's catalogue again, with the real-time factor measured on this worker. One
    engine at a time (measured side by side, espeak's came out 3 times too slow), the quickest
    first: espeak's and piper's are known within a second, not after Kokoro's."""
    for provider in engines.quickest_first():
        try:
            measured = await engines.measure_speed(provider)
        except Exception:  # the worker works without it: ETAs then wait for the first turns
            log.warning("engine.speed_not_measured", provider=provider, exc_info=True)
            continue
        await publish_catalogue(js, measured)
        log.info("engine.speed_measured", provider=provider,
                 realtime_factor=measured.realtime_factor)  # fmt: skip


def _job_created_runner(
    settings: Settings,
    subscription: Subscription,
    js: JetStreamContext,
    s3: Minio,
    engines: ProviderEngines,
    cancels: CancelWatch,
    draining: asyncio.Event,
    slots: UserSlots,
    *,
    burst: bool,
) -> ConsumerRunner[JobEvent]:
    return build_runner(
        js,
        subscription.durable,
        BucketStore(s3, settings.s3_bucket),
        engines,
        cancels,
        SynthesisPolicy(
            worker=settings.worker_name,
            bucket=settings.s3_bucket,
            pause_ms=settings.pause_between_turns_ms,
            limits=settings.limits,
            progress_hold_s=settings.progress_after_ms / 1000,
            live_hold_s=settings.live_after_ms / 1000,
            spool_dir=settings.spool_dir,
        ),
        RunnerOptions(
            slots=settings.worker_slots,
            max_deliver=subscription.max_deliver,
            heartbeat_s=settings.ack_wait_s / 3,
            burst=burst,
            prefetch=settings.prefetch,
            fair_window=settings.fair_window,
            fair_key=user_of,
            per_key_limit=settings.per_user_limit,
        ),
        slots=slots,
        lease_refresh_s=settings.user_lease_ttl_s / 4,
        draining=draining.is_set,
        memory=SegmentMemory(settings.segment_memory_mb * 2**20)
        if settings.segment_memory_mb
        else None,
    )


def _fail_abandoned_job(js: JetStreamContext):
    publish = EventPublisher(js)

    async def fail(event, deliveries: int) -> None:
        # The worker holding the last delivery died; nobody else will end this job.
        reason = f"synthesis stopped responding {deliveries} times while working on this job"
        await publishers.publish_failure(publish, event, reason)

    return fail


def run() -> None:
    run_worker("synthesis", Settings(), bootstrap)


if __name__ == "__main__":
    run()
