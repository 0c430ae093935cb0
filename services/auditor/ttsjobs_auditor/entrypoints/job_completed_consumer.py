"""The durable ``auditor`` consumer: every JobCompleted."""

from __future__ import annotations

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.messaging.consumer import ConsumerRunner, RunnerOptions
from ttsjobs.messaging.event_families import JOB_EVENTS
from ttsjobs.messaging.topology import AUDITOR_DURABLE
from ttsjobs_auditor.handlers import audit


def build_runner(
    js: JetStreamContext, *, slots: int, burst: bool = False
) -> ConsumerRunner[JobEvent]:
    async def on_message(event: JobEvent, msg: Msg) -> None:
        await audit(event)

    options: RunnerOptions[JobEvent] = RunnerOptions(slots=slots, max_deliver=5, burst=burst)
    return ConsumerRunner(js, AUDITOR_DURABLE, on_message, events=JOB_EVENTS, options=options)
