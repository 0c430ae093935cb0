"""The durable ``synthesis`` consumer: JobCreated in, handler called, JobFailed when it gives up."""

from __future__ import annotations

from collections.abc import Callable

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCancelRequested, JobCreated, JobEvent
from ttsjobs.messaging.consumer import ConsumerRunner, PermanentFailure, RunnerOptions
from ttsjobs.messaging.event_families import JOB_EVENTS
from ttsjobs.messaging.job_history import StreamJobHistory
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import SYNTHESIS_DURABLE
from ttsjobs.storage import BucketStore
from ttsjobs_synthesis import publishers
from ttsjobs_synthesis.engines import Engines
from ttsjobs_synthesis.eta import SpeedMeter
from ttsjobs_synthesis.handlers import Slots, SynthesisDeps, SynthesisPolicy, handle_job_created


def build_runner(
    js: JetStreamContext,
    store: BucketStore,
    engines: Engines,
    policy: SynthesisPolicy,
    options: RunnerOptions[JobEvent],
    *,
    slots: Slots | None = None,
    lease_refresh_s: float = 10.0,
    draining: Callable[[], bool] = lambda: False,
) -> ConsumerRunner[JobEvent]:
    publish = EventPublisher(js)

    async def cancel_requested(job_id: str) -> bool:
        # One direct get per turn boundary: is there a cancel request on the job's subject?
        try:
            await js.get_last_msg(
                subjects.STREAM,
                subjects.job_event(job_id, JobCancelRequested.kind),
                direct=True,
            )
        except NotFoundError:
            return False
        return True

    deps = SynthesisDeps(
        publish=publish,
        history=StreamJobHistory(js, publish),
        engines=engines,
        store=store,
        cancel_requested=cancel_requested,
        speed=SpeedMeter(),
        policy=policy,
        slots=slots,
        lease_refresh_s=lease_refresh_s,
        draining=draining,
    )

    async def on_message(event: JobEvent, msg: Msg) -> None:
        if not isinstance(event, JobCreated):
            raise PermanentFailure(f"synthesis does not handle {event.type}")
        await handle_job_created(event, attempt=msg.metadata.num_delivered, deps=deps)

    async def on_give_up(event: JobEvent, reason: str) -> None:
        await publishers.publish_failure(publish, event, reason)

    return ConsumerRunner(
        js, SYNTHESIS_DURABLE, on_message, events=JOB_EVENTS, on_give_up=on_give_up, options=options
    )
