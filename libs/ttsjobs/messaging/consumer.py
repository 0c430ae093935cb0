"""One consumer runner holds the ack policy; handlers never call ack().

- the handler returns → ``ack``;
- it raises ``RetryLater(delay)`` → ``nak(delay)``;
- it raises ``PermanentFailure`` → ``term`` and ``on_give_up`` (e.g. publish JobFailed);
- anything else → ``nak`` with exponential backoff, and after the last allowed delivery
  ``term`` and ``on_give_up`` with the last error, so no job is left hanging;
- while a handler runs, ``in_progress`` heartbeats keep the message from being redelivered.

``burst=True`` processes what is queued and returns once a fetch comes back empty and nothing
is running: tests and one-shot rebuilds never sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from pydantic import ValidationError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobEvent, parse_event

log = structlog.get_logger()


class RetryLater(Exception):
    def __init__(self, reason: str, *, delay_s: float = 1.0) -> None:
        super().__init__(reason)
        self.delay_s = delay_s


class PermanentFailure(Exception):
    """The message can never succeed; the reason is shown to the user."""


Handler = Callable[[JobEvent, Msg], Awaitable[None]]
GiveUp = Callable[[JobEvent, str], Awaitable[None]]


@dataclass
class RunnerOptions:
    slots: int = 1
    max_deliver: int = -1
    heartbeat_s: float = 10.0
    fetch_timeout_s: float = 1.0
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    burst: bool = False


class ConsumerRunner:
    def __init__(
        self,
        js: JetStreamContext,
        durable: str,
        handler: Handler,
        *,
        on_give_up: GiveUp | None = None,
        options: RunnerOptions | None = None,
    ) -> None:
        self._js = js
        self._durable = durable
        self._handler = handler
        self._on_give_up = on_give_up
        self._opts = options or RunnerOptions()
        self._stopping = asyncio.Event()
        self._running: set[asyncio.Task[None]] = set()
        self.processed = 0

    def stop(self) -> None:
        """Stop fetching; messages in hand are finished before run() returns."""
        self._stopping.set()

    async def run(self) -> None:
        sub = await self._js.pull_subscribe_bind(self._durable, stream=subjects.STREAM)
        try:
            while not self._stopping.is_set():
                free = self._opts.slots - len(self._running)
                if free <= 0:
                    await asyncio.wait(self._running, return_when=asyncio.FIRST_COMPLETED)
                    continue
                try:
                    msgs = await sub.fetch(free, timeout=self._opts.fetch_timeout_s)
                except (TimeoutError, NatsTimeoutError):
                    if self._opts.burst and not self._running:
                        return
                    continue
                for msg in msgs:
                    task = asyncio.create_task(self._process(msg))
                    self._running.add(task)
                    task.add_done_callback(self._running.discard)
        finally:
            if self._running:
                await asyncio.gather(*self._running, return_exceptions=True)
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _process(self, msg: Msg) -> None:
        structlog.contextvars.clear_contextvars()
        delivered = msg.metadata.num_delivered
        try:
            event = parse_event(msg.data)
        except ValidationError as err:
            log.error("event.undecodable", subject=msg.subject, error=str(err)[:500])
            await msg.term()
            return
        structlog.contextvars.bind_contextvars(
            job_id=event.subject, event_type=event.type, delivery=delivered
        )
        heartbeat = asyncio.create_task(self._heartbeat(msg))
        try:
            await self._handler(event, msg)
        except RetryLater as err:
            log.info("event.retry_later", reason=str(err), delay_s=err.delay_s)
            await msg.nak(delay=err.delay_s)
        except PermanentFailure as err:
            log.warning("event.permanent_failure", reason=str(err))
            await self._give_up(msg, event, str(err))
        except Exception as err:
            reason = f"{type(err).__name__}: {err}"
            if 0 < self._opts.max_deliver <= delivered:
                log.error("event.deliveries_exhausted", reason=reason)
                await self._give_up(msg, event, f"gave up after {delivered} attempts: {reason}")
            else:
                delay = min(self._opts.backoff_max_s, self._opts.backoff_base_s * 2**delivered)
                log.warning("event.failed_will_retry", reason=reason, delay_s=delay, exc_info=True)
                await msg.nak(delay=delay)
        else:
            await msg.ack()
            self.processed += 1
        finally:
            heartbeat.cancel()
            structlog.contextvars.clear_contextvars()

    async def _give_up(self, msg: Msg, event: JobEvent, reason: str) -> None:
        if self._on_give_up is not None:
            try:
                await self._on_give_up(event, reason)
            except Exception:
                # Could not record the failure: leave the message to be delivered again.
                log.exception("event.give_up_failed")
                await msg.nak(delay=self._opts.backoff_max_s)
                return
        await msg.term()

    async def _heartbeat(self, msg: Msg) -> None:
        while True:
            await asyncio.sleep(self._opts.heartbeat_s)
            with contextlib.suppress(Exception):
                await msg.in_progress()
