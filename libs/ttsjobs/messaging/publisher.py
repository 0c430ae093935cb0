"""Publishing job events: the envelope id as Nats-Msg-Id, and optimistic concurrency per job."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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


class PublishInOrder(Protocol):
    async def __call__(self, events: Sequence[CloudEvent]) -> None: ...


def one_at_a_time(publish: Publish) -> PublishInOrder:
    """Several events through a plain ``Publish``, each stored before the next is sent."""

    async def publish_in_order(events: Sequence[CloudEvent]) -> None:
        for event in events:
            await publish(event)

    return publish_in_order


# How long the acks of events published together may take: nats-py's own default for a
# JetStream request. nats-py 2.16 also ends up here when the stream refuses one of them: its
# handler of publish_async's answers raises on an error instead of failing the future.
ACKS_TIMEOUT_S = 5.0


class EventPublisher:
    def __init__(self, js: JetStreamContext) -> None:
        self._js = js

    async def __call__(self, event: CloudEvent, *, expected_last_seq: int | None = None) -> PubAck:
        """Publish and wait for the stream's ack: once this returns, the event is stored.

        With ``expected_last_seq``, the event is stored only if the job's newest event is still
        at that sequence: two services deciding about the same job cannot both win.
        """
        headers = {}
        if expected_last_seq is not None:
            headers["Nats-Expected-Last-Subject-Sequence"] = str(expected_last_seq)
            headers["Nats-Expected-Last-Subject-Sequence-Subject"] = subjects.job_history(
                event.subject
            )
        try:
            with _outgoing(event, headers) as (subject, payload, sent_headers):
                return await self._js.publish(
                    subject, payload, stream=event.stream, headers=sent_headers
                )
        except BadRequestError as err:
            if err.err_code == _WRONG_LAST_SEQUENCE:
                raise ConcurrencyConflict(str(err.description)) from err
            raise

    async def in_order(self, events: Sequence[CloudEvent]) -> None:
        """Publish several events, each sent without waiting for the ack of the one before:
        one round trip (and one fsync wait) for them all, not one each. They are stored in the
        order given (one connection, one stream). Returns once every one is stored; raises as
        ``__call__`` does, a timeout as nats-py's ``TimeoutError``."""
        acks: list[asyncio.Future[PubAck]] = []
        try:
            for event in events:
                with _outgoing(event, {}) as (subject, payload, headers):
                    acks.append(
                        await self._js.publish_async(
                            subject, payload, stream=event.stream, headers=headers
                        )
                    )
            async with asyncio.timeout(ACKS_TIMEOUT_S):
                await asyncio.gather(*acks)
        except TimeoutError:
            raise NatsTimeoutError from None
        finally:
            for ack in acks:
                ack.cancel()  # a no-op once answered; otherwise frees nats-py's slot for it


@contextmanager
def _outgoing(
    event: CloudEvent, headers: dict[str, str]
) -> Iterator[tuple[str, bytes, dict[str, str]]]:
    """The event's subject, body and headers, inside its sending span: the envelope id as
    ``Nats-Msg-Id`` (JetStream drops a repeat) and the trace context for the consumers."""
    subject = event.nats_subject()
    with tracing.sending(subject, kind=type(event).__name__, message_id=event.id) as trace:
        sent = {"Nats-Msg-Id": event.id, **event.nats_headers(), **headers, **trace}
        yield subject, encode_event(event), sent
