"""Live job events for WebSocket clients, relayed from JetStream.

One ordered consumer per gateway process delivers every new job event; the relay hands each to
the feeds that want it, in rounds: whatever arrived while the last round was being handed out
goes out together. No feed polls the database. A feed registers *before* it reads the
current state, so an event is either in the state it sends first or in its queue afterwards:
nothing is lost between the two, and anything at or below the state's sequence is dropped, so
nothing is repeated. Every message carries the event's stream sequence; a client that comes
back with ``after=<seq>`` is sent what it missed from the stream, then the live events.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Protocol

import structlog
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from pydantic import ValidationError

from ttsjobs.aio.queues import next_and_waiting
from ttsjobs.aio.tasks import stop_task
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobDeleted, JobEvent, JobProgressed, parse_event
from ttsjobs.jobs.state import TERMINAL
from ttsjobs_gateway.frame_writes import text_frame
from ttsjobs_gateway.recent_jobs import RecentJobs
from ttsjobs_gateway.stream_watch import Link, StreamWatch

log = structlog.get_logger()

# A client this far behind is cut off (it can resume with after=<seq>): one slow browser tab
# must not grow the gateway's memory without bound.
QUEUE_LIMIT = 1_000
# A round is handed out without a pause for up to this long; then other work gets a turn.
# Long enough for a thousand feeds: a pause lets the feeds that just finished close first,
# ahead of the rest of the round.
ROUND_SLICE_S = 0.05


@dataclass(frozen=True)
class Relayed:
    seq: int
    event: JobEvent

    @functools.cached_property
    def message(self) -> str:
        """The feed message for this event, serialised once however many feeds send it: with a
        thousand subscribers to one job, encoding per feed was most of the gateway's work."""
        return json.dumps(
            {"type": "event", "seq": self.seq, "job_id": self.event.subject,
             "event": self.event.model_dump(mode="json")},
            separators=(",", ":"), ensure_ascii=False,
        )  # fmt: skip

    @functools.cached_property
    def frame(self) -> bytes:
        """The message as a WebSocket frame, likewise built once."""
        return text_frame(self.message)


class Frames:
    """What one round of the relay writes, built once for all the feeds that are sent the same
    events the same way."""

    def __init__(self) -> None:
        self._built: dict[tuple[object, ...], bytes] = {}

    def of(self, shown: list[Relayed], *, batch: bool) -> bytes:
        """One frame per event, or on a ``batch=1`` feed one frame for them all."""
        if len(shown) == 1:
            return shown[0].frame
        key = (batch, *(item.seq for item in shown))
        built = self._built.get(key)
        if built is None:
            built = (
                text_frame(batch_message(shown))
                if batch
                else b"".join(item.frame for item in shown)
            )
            self._built[key] = built
        return built


class ProgressFilter:
    """One feed's view of progress: it only moves forward.

    A job resumed by another attempt reports its turns again from the first (the finished ones
    come from the segment cache at once), so the stream can hold done=4 and then done=1. A feed
    relays a progress event only if it is ahead of everything that feed has shown of the job.
    """

    def __init__(self) -> None:
        self._done: dict[str, int] = {}

    def seen(self, job_id: str, done: int) -> None:
        """Progress the client already has (from a snapshot)."""
        self._done[job_id] = max(self._done.get(job_id, 0), done)

    def passes(self, event: JobEvent) -> bool:
        job_id = event.subject
        if event.kind in TERMINAL:
            self._done.pop(job_id, None)  # a user's feed sees many jobs in an hour
            return True
        if not isinstance(event, JobProgressed):
            return True
        done = event.data.done
        if done <= self._done.get(job_id, 0):
            return False
        self._done[job_id] = done
        return True


class SlowConsumer(Exception):
    """The client fell too far behind: QUEUE_LIMIT events queued while its feed started, or
    more than the feed's send buffer limit left unread once live."""


class DirectFeed(Protocol):
    """A live feed the relay writes to itself, in its own task (``Listener.go_direct``)."""

    def deliver(self, items: list[Relayed], frames: Frames) -> None: ...

    def stop(self) -> None:
        """No more writes: the relay stopped, or the feed is closing."""


@dataclass(eq=False)
class Listener:
    """A feed's place at the relay: its events queue up until the feed is live, and then, if
    its connection takes frames, the relay hands them to the feed directly."""

    job_id: str | None  # None: every job of ``user_id``
    user_id: str
    queue: asyncio.Queue[Relayed | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_LIMIT)
    )
    overflowed: bool = False
    direct: DirectFeed | None = None

    def offer(self, items: list[Relayed], frames: Frames) -> None:
        if self.direct is not None:
            self.direct.deliver(items, frames)
            return
        for item in items:
            try:
                self.queue.put_nowait(item)
            except asyncio.QueueFull:
                self.overflowed = True

    def go_direct(self, direct: DirectFeed) -> None:
        """Hand ``direct`` what has queued up, then everything the relay brings next. Nothing
        is awaited in between, so no event can come between the two."""
        taken: list[Relayed] = []
        stopped = False
        while not self.queue.empty():
            item = self.queue.get_nowait()
            if item is None:
                stopped = True
                break
            taken.append(item)
        if self.overflowed:
            raise SlowConsumer
        if taken:
            direct.deliver(taken, Frames())
        if stopped:
            direct.stop()
        self.direct = direct

    def relay_stopped(self) -> None:
        if self.direct is not None:
            self.direct.stop()
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)  # tells a feed reading the queue to close


class EventRelay:
    def __init__(self, js: JetStreamContext, *, link: Link) -> None:
        self._js = js
        # What the relay has seen, so that a GET can tell when a job's row is current.
        self.watch = StreamWatch(link=link)
        # Jobs this gateway accepted, kept current here, for GETs that need no read at all.
        self.recent = RecentJobs(self.watch)
        self._by_job: dict[str, set[Listener]] = {}
        self._by_user: dict[str, set[Listener]] = {}
        self._sub: JetStreamContext.PushSubscription | None = None
        self._pending: asyncio.Queue[Relayed] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._last_seq = 0

    async def start(self) -> None:
        await self._subscribe()
        self._task = asyncio.create_task(self._fan_out())

    async def _subscribe(self) -> None:
        # From the event after the last one relayed, so that a resubscription loses nothing.
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
        if self._sub is not None:
            with contextlib.suppress(Exception):
                await self._sub.unsubscribe()
        await self._subscribe()
        log.info("relay.resubscribed", after_seq=self._last_seq)

    async def stop(self) -> None:
        if self._sub is not None:
            with contextlib.suppress(Exception):
                await self._sub.unsubscribe()
        if self._task is not None:
            await stop_task(self._task)
        for listeners in [*self._by_job.values(), *self._by_user.values()]:
            for listener in listeners:
                listener.relay_stopped()

    async def _on_msg(self, msg: Msg) -> None:
        seq = msg.metadata.sequence.stream
        if seq <= self._last_seq:
            return  # replayed by a resubscription: already relayed
        self._last_seq = seq
        job_id = msg.subject.split(".")[2]  # ttsjobs.job.<id>.<kind>, even if unparseable
        self.watch.saw(job_id, seq, pending=msg.metadata.num_pending)
        if msg.subject.endswith(f".{JobDeleted.kind}"):
            self.recent.deleted.add(job_id)  # gone from GETs and lists before the table knows
        kept = self.recent.wants(job_id)
        followed = job_id in self._by_job or bool(self._by_user)
        if not kept and not followed:
            # Nobody follows it: not decoded. A feed that starts later reads it from the stream,
            # since each feed listens before it reads what it shows first.
            return
        try:
            event: JobEvent | None = parse_event(msg.data)
        except ValidationError:
            event = None
        if kept:
            self.recent.saw(event, seq, job_id)
        if followed and event is not None:
            await self._pending.put(Relayed(seq, event))

    async def _fan_out(self) -> None:
        while True:
            await self._hand_out(await next_and_waiting(self._pending))

    async def _hand_out(self, items: list[Relayed]) -> None:
        """One round: each feed is offered, at once, the round's events it follows."""
        offers = [
            *_offers(self._by_job, _grouped(items, lambda item: item.event.subject)),
            # Every event names the job's owner, so a user's feed needs no lookup.
            *_offers(self._by_user, _grouped(items, lambda item: item.event.data.user_id)),
        ]
        frames = Frames()
        slice_ends = time.monotonic() + ROUND_SLICE_S
        for listener, theirs in offers:
            try:
                listener.offer(theirs, frames)
            except Exception:
                log.exception("relay.offer_failed", job_id=listener.job_id)
            if time.monotonic() > slice_ends:
                await asyncio.sleep(0)
                slice_ends = time.monotonic() + ROUND_SLICE_S

    @contextlib.contextmanager
    def listen(self, listener: Listener):
        index = self._by_job if listener.job_id else self._by_user
        key = listener.job_id or listener.user_id
        index.setdefault(key, set()).add(listener)
        try:
            yield listener
        finally:
            index[key].discard(listener)
            if not index[key]:
                del index[key]


def _grouped(items: list[Relayed], key: Callable[[Relayed], str]) -> dict[str, list[Relayed]]:
    groups: dict[str, list[Relayed]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _offers(
    index: dict[str, set[Listener]], groups: dict[str, list[Relayed]]
) -> list[tuple[Listener, list[Relayed]]]:
    # A list, not a generator: feeds come and go while a round pauses.
    return [(listener, items) for key, items in groups.items() for listener in index.get(key, ())]


async def live(listener: Listener, *, after_seq: int) -> AsyncIterator[list[Relayed]]:
    """The listener's queued events past ``after_seq``, in order, as many at a time as have
    queued up since the last were taken; ends when the relay stops."""
    while True:
        taken = await next_and_waiting(listener.queue)
        if listener.overflowed:
            raise SlowConsumer
        ended = None in taken
        if ended:
            taken = taken[: taken.index(None)]
        batch = [item for item in taken if item is not None and item.seq > after_seq]
        if batch:
            yield batch
        if ended:
            return


def batch_message(items: list[Relayed]) -> str:
    """Several feed messages as one (``batch=1``): each keeps its own form, already
    serialised, so the only work per subscriber is one send instead of one per event."""
    events = ",".join(item.message for item in items)
    return f'{{"type":"events","seq":{items[-1].seq},"events":[{events}]}}'


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
