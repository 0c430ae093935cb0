"""Prometheus metrics, declared once. Labels are bounded sets (provider, consumer): never a job
or user id, which would make a series per job."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from nats.js import JetStreamContext
from prometheus_client import Counter, Gauge, Histogram

log = structlog.get_logger()

JOBS_CREATED = Counter("ttsjobs_jobs_created", "Jobs accepted by the gateway", ["provider"])
JOBS_COMPLETED = Counter("ttsjobs_jobs_completed", "Jobs that stored their audio", ["provider"])
JOBS_FAILED = Counter("ttsjobs_jobs_failed", "Jobs that ended without audio", ["provider"])
JOBS_CANCELLED = Counter("ttsjobs_jobs_cancelled", "Jobs cancelled on request", ["provider"])

HISTORY_READS = Counter(
    "ttsjobs_job_history_reads",
    "Direct gets of one job's events from the stream (each costs a round trip to NATS)",
)

CALLBACKS = Counter(
    "ttsjobs_callbacks",
    "Attempts to POST a job's final event to its callback_url, by outcome",
    ["outcome"],
)

_SECONDS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900)
QUEUE_WAIT = Histogram(
    "ttsjobs_job_queue_wait_seconds",
    "From JobCreated to a worker starting the job",
    ["provider"],
    buckets=_SECONDS,
)
JOB_DURATION = Histogram(
    "ttsjobs_job_duration_seconds",
    "From a worker starting the job to its audio being stored",
    ["provider"],
    buckets=_SECONDS,
)
TURN_SYNTHESIS = Histogram(
    "ttsjobs_turn_synthesis_seconds",
    "Engine time for one turn that was not in the segment cache",
    ["provider"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 120),
)
REAL_TIME_FACTOR = Histogram(
    "ttsjobs_job_real_time_factor",
    "Wall time of a job over the length of its audio (below 1: faster than real time)",
    ["provider"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5),
)
CONSUMER_PENDING = Gauge(
    "ttsjobs_consumer_num_pending", "Messages not yet delivered to the consumer", ["consumer"]
)
CONSUMER_ACK_PENDING = Gauge(
    "ttsjobs_consumer_num_ack_pending", "Messages delivered and not yet acked", ["consumer"]
)
PROJECTION_LAG_SECONDS = Gauge(
    "ttsjobs_projection_lag_seconds",
    "Age of the event the projection applied last, when it was applied",
    ["consumer"],
)
PROJECTION_LAG_EVENTS = Gauge(
    "ttsjobs_projection_lag_events",
    "Events in the stream that the projection has not applied yet",
    ["consumer"],
)

DEAD_LETTERS = Counter(
    "ttsjobs_dead_letters",
    "Events a consumer gave up on and moved to the dead-letter stream",
    ["consumer"],
)


async def watch_consumers(
    js: JetStreamContext,
    consumers: list[tuple[str, str]],
    *,
    every_s: float = 5.0,
    lag_gauge: Gauge | None = None,
) -> None:
    """Poll (stream, durable) consumers for their backlog until cancelled."""
    while True:
        for stream, durable in consumers:
            with contextlib.suppress(Exception):  # a NATS hiccup must not end the watch
                info = await js.consumer_info(stream, durable)
                CONSUMER_PENDING.labels(durable).set(info.num_pending)
                CONSUMER_ACK_PENDING.labels(durable).set(info.num_ack_pending)
                if lag_gauge is not None:
                    lag_gauge.labels(durable).set(info.num_pending + info.num_ack_pending)
        await asyncio.sleep(every_s)
