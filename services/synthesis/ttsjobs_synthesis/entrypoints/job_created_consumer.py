"""The JobCreated consumer (declared in ``subscriptions.py``): JobCreated in, handler called,
JobFailed when it gives up."""

from __future__ import annotations

from collections.abc import Callable

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from ttsjobs.contracts.job_events import JobCreated, JobEvent
from ttsjobs.messaging.consumer import ConsumerRunner, PermanentFailure, RunnerOptions
from ttsjobs.messaging.event_families import JOB_EVENTS
from ttsjobs.messaging.job_history import StreamJobHistory
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.storage import BucketStore
from ttsjobs_synthesis import publishers
from ttsjobs_synthesis.engines import Engines
from ttsjobs_synthesis.eta import SpeedMeter
from ttsjobs_synthesis.handlers import (
    CancelRequests,
    Slots,
    SynthesisDeps,
    SynthesisPolicy,
    handle_job_created,
)
from ttsjobs_synthesis.segment_memory import SegmentMemory


def build_runner(
    js: JetStreamContext,
    durable: str,
    store: BucketStore,
    engines: Engines,
    cancels: CancelRequests,
    policy: SynthesisPolicy,
    options: RunnerOptions[JobEvent],
    *,
    slots: Slots | None = None,
    lease_refresh_s: float = 10.0,
    draining: Callable[[], bool] = lambda: False,
    memory: SegmentMemory | None = None,
) -> ConsumerRunner[JobEvent]:
    publish = EventPublisher(js)

    deps = SynthesisDeps(
        publish=publish,
        history=StreamJobHistory(js, publish),
        engines=engines,
        store=store,
        cancels=cancels,
        speed=SpeedMeter(),
        policy=policy,
        slots=slots,
        lease_refresh_s=lease_refresh_s,
        draining=draining,
        memory=memory,
        publish_in_order=publish.in_order,
    )

    async def on_message(event: JobEvent, msg: Msg) -> None:
        if not isinstance(event, JobCreated):
            raise PermanentFailure(f"synthesis does not handle {event.type}")
        await handle_job_created(
            event, attempt=msg.metadata.num_delivered, deps=deps, seq=msg.metadata.sequence.stream
        )

    async def on_give_up(event: JobEvent, reason: str) -> None:
        await publishers.publish_failure(publish, event, reason)

    return ConsumerRunner(
        js, durable, on_message, events=JOB_EVENTS, on_give_up=on_give_up, options=options
    )
