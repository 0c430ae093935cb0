"""The durable ``notifier`` consumer: every job's final event, a few deliveries at once."""

from __future__ import annotations

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from ttsjobs.callbacks import has_no_callback
from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.messaging.consumer import ConsumerRunner, RunnerOptions
from ttsjobs.messaging.event_families import JOB_EVENTS
from ttsjobs_notifier.handlers import NotifierDeps, notify
from ttsjobs_notifier.subscriptions import JOB_FINISHED_SUBSCRIPTION


def build_runner(
    js: JetStreamContext, deps: NotifierDeps, *, slots: int, burst: bool = False
) -> ConsumerRunner[JobEvent]:
    async def on_message(event: JobEvent, msg: Msg) -> None:
        await notify(event, attempt=msg.metadata.num_delivered, deps=deps)

    # Attempts are counted by the handler (max_deliver stays unlimited); retries wait by nak delay.
    # A final event marked as having no callback is acked without reading the job's JobCreated.
    options: RunnerOptions[JobEvent] = RunnerOptions(
        slots=slots,
        max_deliver=JOB_FINISHED_SUBSCRIPTION.max_deliver,
        burst=burst,
        nothing_to_do=lambda msg: has_no_callback(msg.headers),
    )
    return ConsumerRunner(
        js, JOB_FINISHED_SUBSCRIPTION.durable, on_message, events=JOB_EVENTS, options=options
    )
