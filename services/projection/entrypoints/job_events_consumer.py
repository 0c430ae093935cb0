"""The durable ``projection`` consumer: each job event applied in its own transaction, in order."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.messaging.consumer import ConsumerRunner, RunnerOptions
from ttsjobs.observability import metrics
from ttsjobs_projection.handlers import apply_job_event


def build_runner(
    js: JetStreamContext, pool: asyncpg.Pool, *, consumer: str, burst: bool = False
) -> ConsumerRunner:
    async def on_message(event: JobEvent, msg: Msg) -> None:
        async with pool.acquire() as conn:
            await apply_job_event(event, msg.metadata.sequence.stream, conn=conn, consumer=consumer)
        lag = datetime.now(UTC) - event.time
        metrics.PROJECTION_LAG_SECONDS.labels(consumer).set(max(lag.total_seconds(), 0.0))

    # One slot: with max_ack_pending=1 on the consumer, events reach the table in stream order.
    # A database outage is retried with backoff for as long as it lasts (max_deliver = -1).
    options = RunnerOptions(slots=1, max_deliver=-1, backoff_max_s=5.0, burst=burst)
    return ConsumerRunner(js, consumer, on_message, options=options)
