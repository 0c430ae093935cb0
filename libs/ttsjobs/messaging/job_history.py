"""A job's history in the JetStream stream: read with direct gets (no consumer), appended with
the expected last subject sequence. The adapter behind ``ttsjobs.jobs.deciding.JobHistory``."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobEvent, parse_event
from ttsjobs.jobs.state import JobState, apply, fold
from ttsjobs.messaging.publisher import Publish
from ttsjobs.observability import metrics


async def read_history(
    js: JetStreamContext, job_id: str, *, after_seq: int = 0
) -> list[tuple[int, JobEvent]]:
    """The job's events in stream order, those after ``after_seq`` only when given."""
    events: list[tuple[int, JobEvent]] = []
    seq = after_seq + 1
    filter_subject = subjects.job_history(job_id)
    while True:
        metrics.HISTORY_READS.inc()
        try:
            msg = await js.get_msg(
                subjects.STREAM, seq=seq, subject=filter_subject, next=True, direct=True
            )
        except NotFoundError:
            return events
        assert msg.seq is not None and msg.data is not None
        events.append((msg.seq, parse_event(msg.data)))
        seq = msg.seq + 1


async def current_state(js: JetStreamContext, job_id: str) -> JobState | None:
    """The job as its events say right now; None if the stream has never heard of it."""
    return fold(await read_history(js, job_id))


async def brought_up_to_date(js: JetStreamContext, state: JobState) -> JobState | None:
    """A projected row plus whatever the stream holds for the job beyond it (None: expired)."""
    current: JobState | None = state
    for seq, event in await read_history(js, state.id, after_seq=state.last_event_seq):
        current = apply(current, event, seq)
    return current


class StreamJobHistory:
    """Jobs' histories in the stream; appends go through the service's publisher."""

    def __init__(self, js: JetStreamContext, publish: Publish) -> None:
        self._js = js
        self._publish = publish

    async def state(self, job_id: str) -> JobState | None:
        return await current_state(self._js, job_id)

    async def caught_up(self, state: JobState) -> JobState | None:
        return await brought_up_to_date(self._js, state)

    async def append(self, event: JobEvent, *, expected_seq: int | None = None) -> int:
        ack = await self._publish(event, expected_last_seq=expected_seq)
        return ack.seq
