"""Job events from the stream since a point, for a feed that starts or resumes behind the
fan-out's live events."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from pydantic import ValidationError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobEvent, parse_event
from ttsjobs.messaging.job_history import read_history
from ttsjobs_gateway.feeds.frames import Relayed


async def stream_since(
    js: JetStreamContext, after_seq: int, *, keep: Callable[[JobEvent], bool]
) -> AsyncIterator[Relayed]:
    """Every job event after ``after_seq`` up to the stream's end now, that ``keep`` accepts."""
    info = await js.stream_info(subjects.STREAM)
    last = info.state.last_seq
    if last <= after_seq:
        return
    sub = await js.subscribe(
        subjects.ALL_JOB_EVENTS,
        stream=subjects.STREAM,
        ordered_consumer=True,
        config=ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=after_seq + 1
        ),
    )
    try:
        while True:
            try:
                msg = await sub.next_msg(timeout=5)
            except (TimeoutError, NatsTimeoutError):
                return  # the rest was removed by retention
            seq = msg.metadata.sequence.stream
            try:
                event = parse_event(msg.data)
            except ValidationError:
                event = None
            if event is not None and keep(event):
                yield Relayed(seq, event)
            if seq >= last:
                return
    finally:
        with contextlib.suppress(Exception):
            await sub.unsubscribe()


async def job_since(js: JetStreamContext, job_id: str, after_seq: int) -> list[Relayed]:
    """One job's events after ``after_seq``, in order: one batched read of its subject."""
    return [
        Relayed(seq, event) for seq, event in await read_history(js, job_id, after_seq=after_seq)
    ]
