"""One consumer runner holds the ack policy; handlers never call ack().

- the handler returns → ``ack``;
- it raises ``RetryLater(delay)`` → ``nak(delay)``; with ``hold=True`` a fair runner keeps the
  message instead and its key sits out the delay;
- it raises ``PermanentFailure`` → ``term`` and ``on_give_up`` (e.g. publish JobFailed);
- anything else → ``nak`` with exponential backoff, and after the last allowed delivery
  ``on_give_up`` with the last error (synthesis: JobFailed, which records the failure in the
  job's history) or, without one, a dead letter; then ``term``. So no job is left hanging and
  no poison event holds the consumer up for good, nor vanishes without a trace. A transient
  error (``is_transient``: a database or network away) is retried for as long as the server
  redelivers;
- a message that does not even parse → a dead letter and ``term``;
- while a handler runs, ``in_progress`` heartbeats keep the message from being redelivered.

``burst=True`` processes what is queued and returns once a fetch comes back empty and nothing
is running: tests and one-shot rebuilds never sleep.

With ``fair_key``, fetched messages wait in a ``FairQueue`` (with heartbeats) and each free slot
goes to the eligible key with the fewest messages running, under ``per_key_limit``: a user with
a backlog cannot hold back another user's single job, nor run more than the limit at once. The
runner holds ``prefetch`` messages, and looks further (up to ``fair_window``) whenever every
message it holds is of a key already running here or held back: another key's message behind
a backlog of any depth within the window is seen, and starts at the next free slot.

A runner is typed by the family of events it reads (``ConsumerRunner[JobEvent]`` with
``JOB_EVENTS``, ``ConsumerRunner[AccountEvent]`` with ``ACCOUNT_EVENTS``): the family says which
stream, how to decode a message and what to bind to the log context, so handlers get the event
type they are written for.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Generic

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from opentelemetry.trace import Span, StatusCode
from pydantic import ValidationError

from ttsjobs.messaging.dead_letters import dead_letter, transient_by_default
from ttsjobs.messaging.event_families import E, EventFamily
from ttsjobs.messaging.fair_queue import Load
from ttsjobs.messaging.fetching import Fetcher
from ttsjobs.messaging.held import Held, HeldMessages, read_again
from ttsjobs.observability import tracing

log = structlog.get_logger()

# Messages a fair runner asks for at a time while it looks past its prefetch.
LOOK_AHEAD_BATCH = 128
# The bodies a fair runner keeps of the messages it holds (held.py): a few thousand short jobs',
# or about sixteen of the largest.
KEPT_BODIES_BYTES = 16 * 2**20


class RetryLater(Exception):
    """Try the message again after ``delay_s``.

    ``hold=True``: it cannot start yet because its fair key is at its limit. A fair runner keeps
    holding it, and the key sits out the delay, so the wait is not a redelivery counted against
    max_deliver; a plain runner naks it with the delay either way. Without ``hold`` a fair
    runner naks too: a worker that is shutting down must hand the message back, not keep it.
    """

    def __init__(self, reason: str, *, delay_s: float = 1.0, hold: bool = False) -> None:
        super().__init__(reason)
        self.delay_s = delay_s
        self.hold = hold


class PermanentFailure(Exception):
    """The message can never succeed; the reason is shown to the user."""


Handler = Callable[[E, Msg], Awaitable[None]]
GiveUp = Callable[[E, str], Awaitable[None]]
FairKey = Callable[[E], str]


@dataclass
class RunnerOptions(Generic[E]):
    slots: int = 1
    max_deliver: int = -1
    heartbeat_s: float = 10.0
    fetch_timeout_s: float = 1.0
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    burst: bool = False
    # Fair scheduling: messages held at once (running + waiting), how to group them, and how
    # many of one group may run at once. Without fair_key, messages run in stream order.
    prefetch: int | None = None
    fair_key: FairKey[E] | None = None
    per_key_limit: int | None = None
    # How far past ``prefetch`` a fair runner looks for another key's message, and how many
    # bytes of the held messages' bodies it keeps rather than reads again (held.py).
    fair_window: int | None = None
    kept_bodies_bytes: int = KEPT_BODIES_BYTES
    # The poison policy: a message that keeps failing with anything but a transient error is
    # dead-lettered after this many deliveries (sooner if max_deliver says so); 0 = never.
    dead_letter_after: int = 10
    is_transient: Callable[[BaseException], bool] = transient_by_default
    # The consumer named in dead letters; a rebuild's own durable letters as the live one.
    dead_letter_as: str | None = None
    # Messages this says the handler has nothing to do for are acked unread.
    nothing_to_do: Callable[[Msg], bool] | None = None


class ConsumerRunner(Generic[E]):
    def __init__(
        self,
        js: JetStreamContext,
        durable: str,
        handler: Handler[E],
        *,
        events: EventFamily[E],
        on_give_up: GiveUp[E] | None = None,
        options: RunnerOptions[E] | None = None,
    ) -> None:
        self._js = js
        self._durable = durable
        self._handler = handler
        self._events = events
        self._on_give_up = on_give_up
        self._opts: RunnerOptions[E] = options or RunnerOptions()
        self._stopping = asyncio.Event()
        self._running: set[asyncio.Task[None]] = set()
        opts = self._opts
        self._prefetch = max(opts.prefetch or opts.slots, opts.slots)
        self._fair_window = max(opts.fair_window or self._prefetch, self._prefetch)
        self._waiting: HeldMessages[E] = HeldMessages(keep_bytes=opts.kept_bodies_bytes)
        self._behind = 0  # messages the stream holds for the consumer past those fetched
        self._caught_up_at = 0.0  # when the runner last had every message there was
        self._started_at: dict[str, float] = {}  # key -> its last start, while it has any
        self._running_per_key: Counter[str] = Counter()
        self._not_before: dict[str, float] = {}
        self.processed = 0

    def stop(self) -> None:
        """Stop fetching; messages in hand are finished before run() returns."""
        self._stopping.set()

    async def run(self) -> None:
        if self._opts.fair_key is not None:
            await self._run_fair()
            return
        fetch = await self._bind()
        try:
            while not self._stopping.is_set():
                free = self._opts.slots - len(self._running)
                if free <= 0:
                    await asyncio.wait(self._running, return_when=asyncio.FIRST_COMPLETED)
                    continue
                msgs = await fetch(free, self._opts.fetch_timeout_s)
                if not msgs:
                    if self._opts.burst and not self._running and msgs is None:
                        return
                    continue
                for msg in msgs:
                    self._start(self._process(msg))
        finally:
            await self._hand_back(await fetch.close())
            if self._running:
                await asyncio.gather(*self._running, return_exceptions=True)

    async def _bind(self) -> Fetcher:
        return await Fetcher.bind(self._js, stream=self._events.stream, durable=self._durable)

    async def _hand_back(self, msgs: Iterable[Msg]) -> None:
        """Delivered but not started: back to the server at once, for this or another worker,
        rather than left until ack_wait."""
        for msg in msgs:
            with contextlib.suppress(Exception):
                await msg.nak()

    def _start(self, work: Coroutine[None, None, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return task

    async def _run_fair(self) -> None:
        """Fetch and start side by side: a slot freed is handed out at once, not after the
        fetch under way has come back."""
        fetch = await self._bind()
        keepalive = asyncio.create_task(self._heartbeat_waiting())
        fetching: asyncio.Task[list[Msg] | None] | None = None
        try:
            while not self._stopping.is_set():
                self._dispatch()
                if fetching is None and (batch := self._to_fetch()) > 0:
                    fetching = asyncio.create_task(fetch(batch, self._fetch_wait_s()))
                waits = {*self._running, *([fetching] if fetching else [])}
                # A key sitting out a delay comes due with nothing ending: look again shortly.
                if waits:
                    await asyncio.wait(waits, timeout=0.25, return_when=asyncio.FIRST_COMPLETED)
                else:
                    await asyncio.sleep(0.05)
                if fetching is None or not fetching.done():
                    continue
                msgs, fetching = fetching.result(), None
                if msgs:
                    await self._hold(msgs)
                    continue
                if msgs is None:
                    self._caught_up()  # nothing came in time: the stream has nothing more
                    if self._opts.burst and not self._busy():
                        return
        finally:
            keepalive.cancel()
            await self._hand_back(self._waiting.drain())
            if fetching is not None:
                with contextlib.suppress(Exception):
                    await self._hand_back(await fetching or [])
            await self._hand_back(await fetch.close())
            if self._running:
                await asyncio.gather(*self._running, return_exceptions=True)

    def _busy(self) -> bool:
        return bool(self._running or len(self._waiting))

    def _to_fetch(self) -> int:
        """How many messages to ask for: up to ``prefetch`` held; past it, while no key that
        could start here fresh (nothing of it running) is waiting, up to ``fair_window``, a
        batch at a time, so that another key's message behind a backlog is found."""
        held = len(self._running) + len(self._waiting)
        if held < self._prefetch:
            return self._prefetch - held
        if held >= self._fair_window or self._waiting.any_key(self._fresh):
            return 0
        return min(LOOK_AHEAD_BATCH, self._fair_window - held)

    def _fetch_wait_s(self) -> float:
        # Nothing in hand: the fetch may wait long. Otherwise come back soon, so that the
        # batch asked for (and so how far the runner looks) follows what it holds.
        return min(0.25, self._opts.fetch_timeout_s) if self._busy() else self._opts.fetch_timeout_s

    def _caught_up(self) -> None:
        self._behind, self._caught_up_at = 0, time.monotonic()

    def _fresh(self, key: str) -> bool:
        """Whether ``key`` could start and has not had a turn since the runner last saw the
        stream's end: no need to look further while such a key waits."""
        if self._running_per_key[key] or not self._eligible(key):
            return False
        return self._started_at.get(key, -math.inf) < self._caught_up_at

    def _load(self, key: str) -> Load:
        return self._running_per_key[key], self._started_at.get(key, -math.inf)

    async def _hold(self, msgs: list[Msg]) -> None:
        assert self._opts.fair_key is not None
        # What the stream holds for the consumer beyond the last message delivered.
        self._behind = msgs[-1].metadata.num_pending or 0
        if not self._behind:
            self._caught_up()
        for msg in msgs:
            if await self._acked_unread(msg):
                continue
            event = await self._decode(msg)
            if event is not None:
                self._waiting.push(self._opts.fair_key(event), msg, event)

    def _eligible(self, key: str) -> bool:
        limit = self._opts.per_key_limit
        if limit is not None and self._running_per_key[key] >= limit:
            return False
        return self._not_before.get(key, 0.0) <= time.monotonic()

    def _dispatch(self) -> None:
        """Start what the free slots can take. While the stream holds messages not fetched yet
        and the window has room, a key already running here waits for the look-ahead: the
        slot may be another key's, whose message is among them."""
        looking = self._behind > 0 and self._to_fetch() > 0

        def startable(key: str) -> bool:
            return self._fresh(key) if looking else self._eligible(key)

        while len(self._running) < self._opts.slots:
            picked = self._waiting.pop(startable, load=self._load)
            if picked is None:
                return
            key, held = picked
            self._running_per_key[key] += 1
            self._started_at[key] = time.monotonic()
            task = self._start(self._handle_held(held, key))
            task.add_done_callback(partial(self._finished, key))

    def _finished(self, key: str, _task: asyncio.Task[None]) -> None:
        self._running_per_key[key] -= 1
        if not self._running_per_key[key] and not self._waiting.has(key):
            del self._running_per_key[key]  # nothing of it left here: forget the key
            self._started_at.pop(key, None)

    async def _handle_held(self, held: Held[E], key: str) -> None:
        event = held.event
        if event is None:
            event = await self._read_again(held.msg)
            if event is None:
                return
        await self._handle(held.msg, event, key=key)

    async def _read_again(self, msg: Msg) -> E | None:
        """The event of a message held without its body (held.py), from the stream."""
        try:
            data = await read_again(self._js, self._events.stream, msg)
        except Exception as err:
            log.warning("event.read_again_failed", error=repr(err))
            await msg.nak(delay=self._opts.backoff_base_s)
            return None
        if data is None:  # gone from the stream (purged): nothing is left to run
            log.error("event.gone_from_stream", subject=msg.subject)
            await msg.term()
            return None
        msg.data = data
        return await self._decode(msg)

    async def _heartbeat_waiting(self) -> None:
        while True:
            await asyncio.sleep(self._opts.heartbeat_s)
            for held in list(self._waiting):
                with contextlib.suppress(Exception):
                    await held.msg.in_progress()

    async def _decode(self, msg: Msg) -> E | None:
        try:
            return self._events.decode(msg.data)
        except ValidationError as err:
            log.error("event.undecodable", subject=msg.subject, error=str(err)[:500])
            await self._dead_letter_and_term(msg, f"undecodable: {err}")
            return None

    async def _acked_unread(self, msg: Msg) -> bool:
        """Whether ``msg`` had nothing to do for the handler, and was acked."""
        if self._opts.nothing_to_do is None or not self._opts.nothing_to_do(msg):
            return False
        await msg.ack()
        self.processed += 1
        return True

    async def _process(self, msg: Msg) -> None:
        if await self._acked_unread(msg):
            return
        event = await self._decode(msg)
        if event is not None:
            await self._handle(msg, event)

    async def _handle(self, msg: Msg, event: E, *, key: str | None = None) -> None:
        # Each message starts from a clean log context: nothing of the last one carries over.
        structlog.contextvars.clear_contextvars()
        delivered = msg.metadata.num_delivered
        structlog.contextvars.bind_contextvars(
            **self._events.log_context(event), event_type=event.type, delivery=delivered
        )
        heartbeat = asyncio.create_task(self._heartbeat(msg))
        try:
            with tracing.processing(
                msg.headers,
                subject=msg.subject,
                kind=type(event).__name__,
                consumer=self._durable,
                message_id=event.id,
                delivery=delivered,
            ) as span:
                await self._settle(msg, event, key, span)
        finally:
            heartbeat.cancel()
            structlog.contextvars.clear_contextvars()

    async def _settle(self, msg: Msg, event: E, key: str | None, span: Span) -> None:
        """Run the handler and ack, nak, hold or give up on the message by how it ended."""
        delivered = msg.metadata.num_delivered
        try:
            await self._handler(event, msg)
        except RetryLater as err:
            if err.hold and key is not None:
                # Hold on to it: no redelivery, and the key sits out until the delay has passed.
                self._not_before[key] = time.monotonic() + err.delay_s
                self._waiting.push_front(key, Held(msg, event))
            else:
                await msg.nak(delay=err.delay_s)
            what = "event.deferred" if err.hold else "event.retry_later"
            log.info(what, reason=str(err), delay_s=err.delay_s)
        except PermanentFailure as err:
            log.warning("event.permanent_failure", reason=str(err))
            span.set_status(StatusCode.ERROR, str(err))
            await self._give_up(msg, event, str(err), dead=False)
        except Exception as err:
            reason = f"{type(err).__name__}: {err}"
            span.record_exception(err)
            span.set_status(StatusCode.ERROR, reason)
            if self._exhausted(err, delivered):
                log.error("event.deliveries_exhausted", reason=reason)
                await self._give_up(msg, event, f"gave up after {delivered} attempts: {reason}")
            else:
                delay = min(self._opts.backoff_max_s, self._opts.backoff_base_s * 2**delivered)
                log.warning("event.failed_will_retry", reason=reason, delay_s=delay, exc_info=True)
                await msg.nak(delay=delay)
        else:
            await msg.ack()
            self.processed += 1

    def _exhausted(self, err: Exception, delivered: int) -> bool:
        # The server's own limit ends deliveries whatever the error: give up on the last one.
        if 0 < self._opts.max_deliver <= delivered:
            return True
        limit = self._opts.dead_letter_after
        return 0 < limit <= delivered and not self._opts.is_transient(err)

    async def _give_up(self, msg: Msg, event: E, reason: str, *, dead: bool = True) -> None:
        """``dead``: the message failed rather than being refused on purpose (a
        PermanentFailure is an answer, not poison). Unless ``on_give_up`` records the failure
        (an event in the job's history says it all), it goes to the dead letters."""
        if self._on_give_up is not None:
            try:
                await self._on_give_up(event, reason)
            except Exception:
                # Could not record the failure: leave the message to be delivered again.
                log.exception("event.give_up_failed")
                await msg.nak(delay=self._opts.backoff_max_s)
                return
        if dead and self._on_give_up is None:
            await self._dead_letter_and_term(msg, reason)
        else:
            await msg.term()

    async def _dead_letter_and_term(self, msg: Msg, reason: str) -> None:
        consumer = self._opts.dead_letter_as or self._durable
        if await dead_letter(self._js, msg, consumer=consumer, error=reason) is None:
            await msg.nak(delay=self._opts.backoff_max_s)  # the letter is not stored: later
            return
        await msg.term()

    async def _heartbeat(self, msg: Msg) -> None:
        while True:
            await asyncio.sleep(self._opts.heartbeat_s)
            with contextlib.suppress(Exception):
                await msg.in_progress()
