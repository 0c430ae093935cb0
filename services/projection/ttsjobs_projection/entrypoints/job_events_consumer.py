"""The durable ``projection`` consumer: job events applied a batch at a time, in stream order."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import asyncpg
import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from opentelemetry import trace

from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.messaging.batch_consumer import BatchOptions, BatchRunner, Delivered
from ttsjobs.messaging.event_families import JOB_EVENTS
from ttsjobs.messaging.reply_subject import delivery_count, stream_seq
from ttsjobs.observability import metrics, tracing
from ttsjobs_projection.deletions import RemoveFolder, RemoveObject, StreamFence
from ttsjobs_projection.handlers import apply_job_events
from ttsjobs_projection.known_rows import KnownRows
from ttsjobs_projection.poison import is_transient, mark_unstorable
from ttsjobs_projection.repository import Tables
from ttsjobs_projection.subscriptions import PROJECTION_BATCH

log = structlog.get_logger()


def build_runner(
    js: JetStreamContext,
    pool: asyncpg.Pool,
    *,
    consumer: str,
    burst: bool = False,
    dead_letter_after: int = 5,
    letters_as: str | None = None,
    remove_object: RemoveObject | None = None,
    remove_folder: RemoveFolder | None = None,
) -> BatchRunner[JobEvent]:
    # The states this runner committed: a job's next event starts from its state kept here.
    tables = Tables(KnownRows())
    # Jobs the stream holds past a batch: their objects are not removed (deletions.py).
    fence = StreamFence(js)

    async def on_batch(batch: list[Delivered[JobEvent]]) -> None:
        seqs = [stream_seq(msg) for _, msg in batch]
        async with pool.acquire() as conn:
            status_changes = await apply_job_events(
                [(event, seq) for (event, _), seq in zip(batch, seqs, strict=True)],
                conn=conn,
                consumer=consumer,
                tables=tables,
                remove_object=remove_object,
                created_after=fence.created_after,
                remove_folder=remove_folder,
            )
        if tracing.exporting():
            _spans_and_status_lines(batch, seqs, status_changes, consumer)
        else:
            _status_lines(batch, seqs, status_changes)
        lag = datetime.now(UTC) - batch[-1][0].time
        metrics.PROJECTION_LAG_SECONDS.labels(consumer).set(max(lag.total_seconds(), 0.0))

    async def on_dead_letter(event: JobEvent, msg: Msg, error: str) -> None:
        await mark_unstorable(pool, event, msg, error, consumer=consumer)

    # A database outage is waited out: the runner holds the failed batch and retries it. An
    # event that fails otherwise is found, dead-lettered and its job marked; the rest goes on.
    options: BatchOptions[JobEvent] = BatchOptions(
        batch=PROJECTION_BATCH,
        burst=burst,
        dead_letter_after=dead_letter_after,
        is_transient=is_transient,
        dead_letter_as=letters_as,
        on_dead_letter=on_dead_letter,
    )
    return BatchRunner(js, consumer, on_batch, events=JOB_EVENTS, options=options)


def _spans_and_status_lines(
    batch: list[Delivered[JobEvent]], seqs: list[int], status_changes: dict[int, str], consumer: str
) -> None:
    """Committed: one span per event, each a child of the span that published it, so a job's
    trace (and its log lines) show where its events reached the table."""
    for index, (event, msg) in enumerate(batch):
        span = tracing.consumed(
            msg.headers,
            subject=msg.subject,
            kind=type(event).__name__,
            consumer=consumer,
            message_id=event.id,
            delivery=delivery_count(msg),
            attributes={"ttsjobs.batch_size": len(batch)},
        )
        if index in status_changes:
            with trace.use_span(span):
                _log_status(event, seqs[index], status_changes[index])
        span.end()


def _status_lines(
    batch: list[Delivered[JobEvent]], seqs: list[int], status_changes: dict[int, str]
) -> None:
    """No span goes anywhere: only the status changes' log lines, in their jobs' traces."""
    if not log.is_enabled_for(logging.INFO):
        return  # the lines would be dropped: no trace context is worth reading for them
    for index, status in status_changes.items():
        event, msg = batch[index]
        with trace.use_span(tracing.continued(msg.headers)):
            _log_status(event, seqs[index], status)


def _log_status(event: JobEvent, seq: int, status: str) -> None:
    # At info, so that the log shows each job's path.
    log.info("projection.status_changed", **JOB_EVENTS.log_context(event), seq=seq, status=status)
