"""A durable pull consumer whose handler takes a batch of events at a time, in stream order.

For a consumer whose effect is cheap per event but costly per commit (the projection: about
2,300 single-row commits/s against tens of thousands of rows/s in one transaction here). The
handler applies the whole batch atomically; then every message is acked. If it raises (the
database is down), the runner keeps the batch and calls the handler again with growing waits,
telling the server the messages are still in progress so that none is redelivered meanwhile.

Why not nak and let the server redeliver: a nak'ed batch smaller than ``max_ack_pending``
leaves the server room to deliver newer events first, and an older event that reaches the table
after a newer one of the same job is dropped as stale. Holding the batch, and never fetching
while one is held, keep events in stream order.

A batch that fails with anything but a transient error (``is_transient``: the database away)
may hold one event that can never be applied, such as a string PostgreSQL cannot store. It is
split in halves, applied in order, down to that one event, which is tried alone
``dead_letter_after`` times, then dead-lettered (``on_dead_letter`` lets the handler's owner
mark what it could not store) and termed; the events around it are applied and acked. The
halves go in stream order and nothing new is fetched meanwhile, so order holds here too.

The same gap opens when a process dies holding a batch: its messages stay unacked until
ack_wait runs out, and a new process's fetch would meanwhile get newer events. So a runner that
finds unacked messages when it starts waits one ack_wait first; after that the server hands out
the redeliveries before anything newer.

Like ``ConsumerRunner[E]``, a runner is typed by the family of events it reads
(``BatchRunner[JobEvent]`` with ``JOB_EVENTS``): the family says which stream and how a message
decodes, so the handler gets a batch of the events it is written for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from pydantic import ValidationError

from ttsjobs.messaging.dead_letters import dead_letter, transient_by_default
from ttsjobs.messaging.event_families import E, EventFamily
from ttsjobs.messaging.fetching import Fetcher
from ttsjobs.messaging.reply_subject import stream_seq

log = structlog.get_logger()

Delivered = tuple[E, Msg]  # (decoded event, its message)
BatchHandler = Callable[[list[Delivered[E]]], Awaitable[None]]
# Told of each event dead-lettered, with the error: e.g. mark the row it could not write.
OnDeadLetter = Callable[[E, Msg, str], Awaitable[None]]


@dataclass(frozen=True)
class BatchOptions(Generic[E]):
    batch: int = 500
    fetch_timeout_s: float = 1.0
    backoff_base_s: float = 0.5
    backoff_max_s: float = 5.0
    # Return once the consumer has nothing more to deliver (replays, rebuilds).
    burst: bool = False
    # The poison policy: tries of one failing event alone before it is dead-lettered; 0 = never.
    dead_letter_after: int = 5
    is_transient: Callable[[BaseException], bool] = transient_by_default
    # The consumer named in dead letters; a rebuild's own durable letters as the live one.
    dead_letter_as: str | None = None
    on_dead_letter: OnDeadLetter[E] | None = None


class BatchRunner(Generic[E]):
    def __init__(
        self,
        js: JetStreamContext,
        durable: str,
        handler: BatchHandler[E],
        *,
        events: EventFamily[E],
        options: BatchOptions[E] | None = None,
    ) -> None:
        self._js = js
        self._durable = durable
        self._handler = handler
        self._events = events
        self._opts: BatchOptions[E] = options or BatchOptions()
        self._stopping = asyncio.Event()
        self._held: list[Msg] = []  # fetched and not yet settled: kept alive while retrying
        self.processed = 0
        self.dead_lettered = 0

    def stop(self) -> None:
        """Stop fetching; the batch in hand is finished (or, if it is failing, left to be
        redelivered) before run() returns."""
        self._stopping.set()

    async def run(self) -> None:
        await self._wait_out_unacked()
        fetch = await Fetcher.bind(self._js, stream=self._events.stream, durable=self._durable)
        try:
            while not self._stopping.is_set():
                msgs = await fetch(self._opts.batch, self._opts.fetch_timeout_s)
                if msgs is None and self._opts.burst:
                    return
                if msgs:
                    await self._settle_in_order(msgs)
        finally:
            # What the last request still brought is ours: applied now, not left to ack_wait.
            if late := await fetch.close():
                await self._settle_in_order(late)

    async def _settle_in_order(self, msgs: list[Msg]) -> None:
        self._held = sorted(msgs, key=stream_seq)
        await self._settle(self._held)

    async def _wait_out_unacked(self) -> None:
        """Messages a dead process was holding come back only after ack_wait; fetching before
        then would deliver newer events ahead of them (see the module docstring)."""
        info = await self._js.consumer_info(self._events.stream, self._durable)
        if info.num_ack_pending == 0:
            return
        ack_wait = info.config.ack_wait or 30.0
        log.warning("batch.waiting_for_redelivery", unacked=info.num_ack_pending, wait_s=ack_wait)
        try:
            async with asyncio.timeout(ack_wait):
                await self._stopping.wait()
        except TimeoutError:
            pass

    async def _settle(self, msgs: list[Msg]) -> None:
        batch: list[Delivered[E]] = []
        for msg in msgs:
            try:
                batch.append((self._events.decode(msg.data), msg))
            except ValidationError as err:
                # Never parseable, so never retried: it would hold back every later event.
                log.error("event.undecodable", subject=msg.subject, error=str(err)[:500])
                if not await self._dead_letter(None, msg, f"undecodable: {err}"):
                    return
        if batch:
            await self._apply(batch)

    async def _apply(self, batch: list[Delivered[E]]) -> bool:
        """Apply, ack and return True; False if stopped first (the rest is left unacked)."""
        failures = 0
        while True:
            try:
                await self._handler(batch)
                break
            except Exception as err:
                if self._stopping.is_set():
                    # Left unacked: after ack_wait the server redelivers it, before anything newer.
                    log.warning("batch.abandoned_on_stop", size=len(batch), error=str(err)[:200])
                    return False
                failures += 1
                error = f"{type(err).__name__}: {err}"
                poison = self._opts.dead_letter_after > 0 and not self._opts.is_transient(err)
                if poison and len(batch) > 1:
                    # Maybe one bad event: the halves in order, until it stands alone.
                    log.warning("batch.split", size=len(batch), error=error[:300])
                    half = len(batch) // 2
                    return await self._apply(batch[:half]) and await self._apply(batch[half:])
                if poison and failures >= self._opts.dead_letter_after:
                    event, msg = batch[0]
                    return await self._dead_letter(event, msg, f"gave up after {failures} "
                                                   f"attempts: {error}")  # fmt: skip
                delay = min(
                    self._opts.backoff_max_s, self._opts.backoff_base_s * 2 ** (failures - 1)
                )
                log.warning("batch.failed_will_retry", error=error, retry_in_s=delay)
                await self._hold(delay)
        for _, msg in batch:
            await msg.ack()
        self.processed += len(batch)
        return True

    async def _dead_letter(self, event: E | None, msg: Msg, error: str) -> bool:
        """Letter, tell the owner, term. Held (not termed) while the letter cannot be stored."""
        consumer = self._opts.dead_letter_as or self._durable
        while await dead_letter(self._js, msg, consumer=consumer, error=error) is None:
            if self._stopping.is_set():
                return False
            await self._hold(self._opts.backoff_max_s)
        if self._opts.on_dead_letter is not None and event is not None:
            try:
                await self._opts.on_dead_letter(event, msg, error)
            except Exception:
                log.exception("event.dead_letter_hook_failed", consumer=consumer)
        await msg.term()
        self.dead_lettered += 1
        return True

    async def _hold(self, delay_s: float) -> None:
        """Wait before the next attempt, keeping the fetched messages from being redelivered.
        A failed heartbeat (nats-server away) is harmless: a redelivery is an older event that
        the table already holds or still needs, and arrives only after this batch."""
        for msg in self._held:
            if not msg.is_acked:  # settled ones need no heartbeat (and the server would refuse it)
                with contextlib.suppress(Exception):
                    await msg.in_progress()
        await asyncio.sleep(delay_s)
