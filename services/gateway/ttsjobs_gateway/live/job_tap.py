"""The gateway's one ordered subscription to the job event stream.

Everything the gateway learns from the stream as it happens arrives here once per process and
is handed, in stream order, to the consumers ``bootstrap()`` registered: the live job cache
first (``LiveJobs``), then the feeds' fan-out. In that order, a client that reads a job on a
feed's event is answered with that event in it. A message is decoded at most once, and only if
a consumer asks for its event: most events concern jobs nobody follows here.

A NATS server restart takes the ephemeral consumer with it. ``resubscribe()`` makes a new one
from the event after the last one tapped, so nothing is skipped; what comes twice is dropped.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from pydantic import ValidationError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobEvent, parse_event

log = structlog.get_logger()

_UNPARSED = object()


class Tapped:
    """One message of the stream as the tap hands it on."""

    __slots__ = ("_event", "data", "job_id", "kind", "pending", "seq")

    def __init__(self, seq: int, subject: str, data: bytes, *, pending: int = 0) -> None:
        self.seq = seq
        # ttsjobs.job.<id>.<kind>: known even when the body does not parse
        _, _, self.job_id, self.kind = subject.split(".", 3)
        self.data = data
        self.pending = pending  # how many events the stream held past this one for the tap
        self._event: object = _UNPARSED

    @property
    def event(self) -> JobEvent | None:
        """The event, decoded on first use; None if it does not parse."""
        if self._event is _UNPARSED:
            try:
                self._event = parse_event(self.data)
            except ValidationError:
                self._event = None
        return self._event  # type: ignore[return-value]


class TapConsumer(Protocol):
    def tapped(self, item: Tapped) -> None:
        """Called for every event, in stream order, on the event loop: must not block."""


class JobTap:
    def __init__(self, js: JetStreamContext) -> None:
        self._js = js
        self._consumers: list[TapConsumer] = []
        self._sub: JetStreamContext.PushSubscription | None = None
        self._last_seq = 0

    def register(self, consumer: TapConsumer) -> None:
        """Hand ``consumer`` every event from now on, after the consumers registered before."""
        self._consumers.append(consumer)

    async def start(self) -> None:
        await self._subscribe()

    async def _subscribe(self) -> None:
        # From the event after the last one tapped, so that a resubscription loses nothing.
        config = (
            ConsumerConfig(
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=self._last_seq + 1
            )
            if self._last_seq
            else ConsumerConfig(deliver_policy=DeliverPolicy.NEW)
        )
        self._sub = await self._js.subscribe(
            subjects.ALL_JOB_EVENTS,
            stream=subjects.STREAM,
            ordered_consumer=True,
            config=config,
            cb=self._on_msg,
        )

    async def resubscribe(self) -> None:
        """After a NATS server restart the ephemeral consumer is gone: make a new one."""
        await self._unsubscribe()
        await self._subscribe()
        log.info("tap.resubscribed", after_seq=self._last_seq)

    async def stop(self) -> None:
        await self._unsubscribe()

    async def _unsubscribe(self) -> None:
        if self._sub is not None:
            with contextlib.suppress(Exception):
                await self._sub.unsubscribe()

    async def _on_msg(self, msg: Msg) -> None:
        seq = msg.metadata.sequence.stream
        if seq <= self._last_seq:
            return  # replayed by a resubscription: already tapped
        self._last_seq = seq
        self.tap(Tapped(seq, msg.subject, msg.data, pending=msg.metadata.num_pending))

    def tap(self, item: Tapped) -> None:
        """Hand ``item`` to every consumer; one that fails does not keep it from the rest."""
        for consumer in self._consumers:
            try:
                consumer.tapped(item)
            except Exception:
                log.exception("tap.consumer_failed", job_id=item.job_id, seq=item.seq)
