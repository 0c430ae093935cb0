"""Publishing job events: the envelope id as Nats-Msg-Id, and optimistic concurrency per job."""

from __future__ import annotations

from typing import Protocol

from nats.errors import (
    ConnectionClosedError,
    ConnectionReconnectingError,
    NoRespondersError,
    OutboundBufferLimitError,
    StaleConnectionError,
)
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import PubAck
from nats.js.errors import BadRequestError, NoStreamResponseError, ServiceUnavailableError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.cloudevents import CloudEvent
from ttsjobs.contracts.job_events import encode_event
from ttsjobs.jobs.deciding import ConcurrencyConflict
from ttsjobs.observability import tracing

# JetStream's code for "wrong last sequence" when an expected-sequence header does not hold.
_WRONG_LAST_SEQUENCE = 10071

# What a publish or a JetStream request raises when no server confirmed it: not connected (and
# not buffering), no answer in time, or JetStream not (yet) serving. The caller cannot know
# whether a publish that timed out was stored; one refused while disconnected was not sent.
NATS_UNAVAILABLE: tuple[type[BaseException], ...] = (
    NatsTimeoutError,
    NoRespondersError,
    NoStreamResponseError,
    OutboundBufferLimitError,
    ConnectionClosedError,
    ConnectionReconnectingError,
    StaleConnectionError,
    ServiceUnavailableError,
)


class Publish(Protocol):
    async def __call__(
        self, event: CloudEvent, *, expected_last_seq: int | None = None
    ) -> PubAck: ...


class EventPublisher:
    def __init__(self, js: JetStreamContext) -> None:
        self._js = js

    async def __call__(self, event: CloudEvent, *, expected_last_seq: int | None = None) -> PubAck:
        """Publish and wait for the stream's ack: once this returns, the event is stored.

        With ``expected_last_seq``, the event is stored only if the job's newest event is still
        at that sequence: two services deciding about the same job cannot both win.
        """
        headers = {"Nats-Msg-Id": event.id}
        if expected_last_seq is not None:
            headers["Nats-Expected-Last-Subject-Sequence"] = str(expected_last_seq)
            headers["Nats-Expected-Last-Subject-Sequence-Subject"] = subjects.job_history(
                event.subject
            )
        subject = event.nats_subject()
        try:
            with tracing.sending(subject, kind=type(event).__name__, message_id=event.id) as trace:
                return await self._js.publish(
                    subject, encode_event(event), stream=event.stream, headers=headers | trace
                )
        except BadRequestError as err:
            if err.err_code == _WRONG_LAST_SEQUENCE:
                raise ConcurrencyConflict(str(err.description)) from err
            raise
