"""A job's history in the JetStream stream: read with batched direct gets (no consumer, one
round trip for a whole history), appended with the expected last subject sequence. The adapter
behind ``ttsjobs.jobs.deciding.JobHistory``."""

from __future__ import annotations

import weakref

from nats.aio.client import Client
from nats.js import JetStreamContext

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCreated, JobEvent, parse_event
from ttsjobs.jobs.state import JobState, apply, fold
from ttsjobs.messaging.batch_get import BatchGet
from ttsjobs.messaging.publisher import Publish
from ttsjobs.observability import metrics


async def read_history(
    js: JetStreamContext, job_id: str, *, after_seq: int = 0
) -> list[tuple[int, JobEvent]]:
    """The job's events in stream order, those after ``after_seq`` only when given."""
    events: list[tuple[int, JobEvent]] = []
    seq = after_seq + 1
    reader = _reader_for(js)
    while True:
        metrics.HISTORY_READS.inc()
        found, more = await reader.read(subjects.job_history(job_id), from_seq=seq)
        events += [(found_seq, parse_event(data)) for found_seq, data in found]
        if not more or not found:
            return events
        seq = found[-1][0] + 1


async def read_created(js: JetStreamContext, job_id: str) -> JobCreated | None:
    """The job's JobCreated alone, for a service that needs only the request: one message
    to read and decode, not the whole history."""
    metrics.HISTORY_READS.inc()
    found, _ = await _reader_for(js).read(subjects.job_event(job_id, JobCreated.kind), from_seq=1)
    for _, data in found:
        event = parse_event(data)
        if isinstance(event, JobCreated):
            return event
    return None


async def current_state(js: JetStreamContext, job_id: str) -> JobState | None:
    """The job as its events say right now; None if the stream has never heard of it."""
    return fold(await read_history(js, job_id))


async def brought_up_to_date(js: JetStreamContext, state: JobState) -> JobState | None:
    """A projected row plus whatever the stream holds for the job beyond it (None: expired)."""
    current: JobState | None = state
    for seq, event in await read_history(js, state.id, after_seq=state.last_event_seq):
        current = apply(current, event, seq)
    return current


_READERS: weakref.WeakKeyDictionary[Client, BatchGet] = weakref.WeakKeyDictionary()


def _reader_for(js: JetStreamContext) -> BatchGet:
    """One reader (one subscription) per connection, made on first use: contexts come and go,
    connections stay."""
    reader = _READERS.get(js._nc)
    if reader is None:
        reader = _READERS[js._nc] = BatchGet(js, subjects.STREAM)
    return reader


class StreamJobHistory:
    """Jobs' histories in the stream; appends go through the service's publisher."""

    def __init__(self, js: JetStreamContext, publish: Publish) -> None:
        self._js = js
        self._publish = publish

    async def state(self, job_id: str) -> JobState | None:
        return await current_state(self._js, job_id)

    async def caught_up(self, state: JobState) -> JobState | None:
        return await brought_up_to_date(self._js, state)

    async def created(self, job_id: str) -> JobCreated | None:
        return await read_created(self._js, job_id)

    async def append(self, event: JobEvent, *, expected_seq: int | None = None) -> int:
        ack = await self._publish(event, expected_last_seq=expected_seq)
        return ack.seq
