"""WebSocket feeds: one job's events, or every job of the user, live and resumable.

Messages are JSON: ``{"type": "snapshot", "seq", "job" | "jobs"}`` first (unless resuming),
then ``{"type": "event", "seq", "job_id", "event"}`` per event in stream order, and
``{"type": "ping"}`` now and then. With ``batch=1``, events that queued up while the feed was
sending come as one ``{"type": "events", "seq", "events": [<event messages>]}``. A one-job
feed closes (1000) after the job's final event. A feed closes 4400 on a bad query (``after=``
not a sequence of the stream, ``batch=`` not 0 or 1), and 4401 once its API key is revoked.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import structlog
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.encoders import jsonable_encoder
from nats.js import JetStreamContext
from starlette.websockets import WebSocketState

from ttsjobs.aio.tasks import stop_tasks
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.jobs.state import TERMINAL
from ttsjobs_gateway.auth import ApiKeys, Caller, Keys, websocket_key
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.errors import JobNotFound, ServiceError
from ttsjobs_gateway.feeds.fan_out import FanOut
from ttsjobs_gateway.feeds.frame_writes import WriteFrames, frame_writer
from ttsjobs_gateway.feeds.frames import Frames, Relayed, batch_message
from ttsjobs_gateway.feeds.listeners import Listener, SlowConsumer, live
from ttsjobs_gateway.feeds.progress import ProgressFilter
from ttsjobs_gateway.feeds.replay import job_since, stream_since
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.schemas import JobView
from ttsjobs_gateway.state import EventStream, Feeds, GatewaySettings, Reads

router = APIRouter()
log = structlog.get_logger()

# Close codes: 4400/4401/4404 like HTTP 400/401/404; 4503 the service cannot serve the feed
# right now.
BAD_QUERY, UNAUTHORIZED, NOT_FOUND, UNAVAILABLE, SLOW = 4400, 4401, 4404, 4503, 4008
_SEQ_DIGITS = 20  # a stream sequence is a uint64


class BadQuery(Exception):
    """The feed's query cannot be served; the message is the close reason."""


def batch_param(ws: WebSocket) -> bool:
    """``batch=1``: events that queue up while the feed is sending go out as one ``events``
    message (a burst of a job's events costs one send per client, not one per event)."""
    raw = ws.query_params.get("batch", "0")
    if raw not in ("0", "1"):
        raise BadQuery("batch= must be 0 or 1")
    return raw == "1"


def after_param(ws: WebSocket) -> int | None:
    """``after=``: a stream sequence, 0 or more. Checked by hand rather than typed in the
    signature, so that a bad one closes the feed with a reason the client can read."""
    raw = ws.query_params.get("after")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= _SEQ_DIGITS):
        raise BadQuery("after= must be a stream sequence: a whole number, 0 or more")
    return int(raw)


async def check_resume_point(stream: JetStreamContext, after: int) -> None:
    """A resume point past the stream's newest event was never sent by this stream: waiting
    for the stream to get there would be silence without end."""
    last = (await stream.stream_info(subjects.STREAM)).state.last_seq
    if after > last:
        raise BadQuery(f"after={after} is past the newest event ({last}); reconnect without it")


class _Feed:
    """One connection: serialised sends, pings, the lifetime cap, client hang-ups, and the
    key's revocation."""

    def __init__(
        self, ws: WebSocket, caller: Caller, key: str, *, keys: ApiKeys, settings: Settings
    ) -> None:
        self.ws = ws
        self.caller = caller
        self.key = key
        self.keys = keys
        self.settings = settings
        self.lock = asyncio.Lock()
        self.last_seq = 0
        self.progress = ProgressFilter()
        self.batch = False
        self._live: _DirectSends | None = None

    async def send(self, message: dict[str, Any]) -> None:
        async with self.lock:
            await self.ws.send_json(jsonable_encoder(message))

    def taken(self, items: list[Relayed]) -> list[Relayed]:
        """Mark ``items`` as sent; returns those the progress filter lets through."""
        self.last_seq = items[-1].seq
        return [item for item in items if self.progress.passes(item.event)]

    async def events(self, items: list[Relayed]) -> None:
        """Send the events that pass the progress filter (a resumed attempt repeats progress
        already shown): one message each, or on a ``batch=1`` feed one for them all."""
        shown = self.taken(items)
        if not shown:
            return
        async with self.lock:
            if self.batch and len(shown) > 1:
                await self.ws.send_text(batch_message(shown))
            else:
                for item in shown:
                    await self.ws.send_text(item.message)

    async def follow(self, listener: Listener, *, until_terminal: bool) -> None:
        """Send what the fan-out brings, live, until it stops (or, ``until_terminal``,
        until the job's final event, then close 1000)."""
        write = frame_writer(self.ws.scope)
        if write is None:  # a server without the extension: through ASGI, from this task
            async for items in live(listener, after_seq=self.last_seq):
                if not until_terminal:
                    await self.events(items)
                elif await _relay_until_finished(self, items):
                    return
            return
        sends = _DirectSends(
            self, write, until_terminal=until_terminal,
            buffer_limit=self.settings.ws_send_buffer_limit_bytes,
        )  # fmt: skip
        self._live = sends
        listener.go_direct(sends)
        ending = await sends.ended
        if ending is _Ending.FINISHED:
            await self.close(1000, "job finished")
        elif ending is _Ending.SLOW:
            raise SlowConsumer

    async def close(self, code: int, reason: str, *, resume: bool = False) -> None:
        """Close with ``reason``; with ``resume``, followed by the point to resume from. The
        fan-out writes to the feed no more, and that point is read once nothing else can be
        sent before the close: a client resuming from it misses nothing and gets nothing
        twice."""
        if self._live is not None:
            self._live.stop()
        if self.ws.client_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                async with self.lock:
                    if resume:
                        reason = f"{reason}; resume with after={self.last_seq}"
                    await self.ws.close(code=code, reason=reason[:120])

    async def run(self, body: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``body`` until it ends, the client leaves, or the lifetime cap is reached."""
        pinger = asyncio.create_task(self._ping())
        hangup = asyncio.create_task(self._until_client_leaves())
        revoked = asyncio.create_task(self._until_key_revoked())
        work = asyncio.create_task(body())
        try:
            done, _ = await asyncio.wait(
                {work, hangup, revoked}, timeout=self.settings.ws_max_lifetime_s,
                return_when=asyncio.FIRST_COMPLETED,
            )  # fmt: skip
            if work in done:
                work.result()
            elif revoked in done:
                revoked.result()  # a failed look-up is not a revocation: raised, not closed 4401
                log.info("feed.key_revoked", key_id=self.caller.key_id)
                await self.close(UNAUTHORIZED, "the API key has been revoked")
            elif not done:
                await self.close(1001, "connection lifetime reached", resume=True)
        except BadQuery as err:
            await self.close(BAD_QUERY, str(err))
        except JobNotFound as err:
            await self.close(NOT_FOUND, err.detail)
        except SlowConsumer:
            await self.close(SLOW, "client too slow", resume=True)
        except ServiceError as err:
            await self.close(UNAVAILABLE, err.detail)
        except WebSocketDisconnect:
            pass
        finally:
            await stop_tasks(pinger, hangup, revoked, work)

    async def _until_key_revoked(self) -> None:
        """Returns once the key is revoked: at once on the revocation event, or at the next
        look-up (every auth_cache_s) if this gateway missed it."""
        keys = self.keys
        with keys.revoked(self.caller.key_id) as revoked:
            while True:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(keys.cache_s):
                        await revoked.wait()
                if revoked.is_set() or not await keys.still_valid(self.key):
                    return

    async def _ping(self) -> None:
        while True:
            await asyncio.sleep(self.settings.ws_ping_s)
            await self.send({"type": "ping", "seq": self.last_seq})

    async def _until_client_leaves(self) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    return


class _Ending(enum.Enum):
    FINISHED = "the job's final event was sent"
    SLOW = "the client fell too far behind"
    GONE = "the connection takes no more data"
    STOPPED = "the fan-out stopped, or the feed is closing"


class _DirectSends:
    """A live feed written to by the fan-out itself (``frame_writes``): no queue, no task
    switch and no ASGI send per event; one write per round of the fan-out."""

    def __init__(
        self, feed: _Feed, write: WriteFrames, *, until_terminal: bool, buffer_limit: int
    ) -> None:
        self.feed = feed
        self.write = write
        self.until_terminal = until_terminal
        self.buffer_limit = buffer_limit
        self.ended: asyncio.Future[_Ending] = asyncio.get_running_loop().create_future()

    def deliver(self, items: list[Relayed], frames: Frames) -> None:
        if self.ended.done():
            return
        try:
            self._deliver(items, frames)
        except Exception as err:  # this feed ends with it; the fan-out goes on to the others
            self.ended.set_exception(err)

    def _deliver(self, items: list[Relayed], frames: Frames) -> None:
        feed = self.feed
        items = [item for item in items if item.seq > feed.last_seq]
        if not items:
            return
        finished = False
        if self.until_terminal:
            items, finished = _up_to_final(items)
        shown = feed.taken(items)
        if shown:
            buffered = self.write(frames.of(shown, batch=feed.batch))
            if buffered is None:
                self.ended.set_result(_Ending.GONE)
                return
            if buffered > self.buffer_limit:
                self.ended.set_result(_Ending.SLOW)
                return
        if finished:
            self.ended.set_result(_Ending.FINISHED)

    def stop(self) -> None:
        """No more writes: the fan-out stopped, or the feed is closing."""
        if not self.ended.done():
            self.ended.set_result(_Ending.STOPPED)


async def _opened(ws: WebSocket, *, keys: ApiKeys, settings: Settings) -> _Feed | None:
    """Accept, then check the key; a feed without a valid key is closed with 4401, with a reason
    (a refused handshake would tell a browser nothing)."""
    key, protocol = websocket_key(ws)
    await ws.accept(subprotocol=protocol)
    try:
        caller = await keys.caller(key) if key else None
    except ServiceError as err:
        await ws.close(code=UNAVAILABLE, reason=err.detail[:120])
        return None
    if caller is None or key is None:
        reason = (
            "the API key is not valid, or it has been revoked"
            if key
            else "send an API key: Authorization: Bearer <key>, or subprotocol bearer.<key>"
        )
        await ws.close(code=UNAUTHORIZED, reason=reason)
        return None
    structlog.contextvars.bind_contextvars(user_id=caller.user_id)
    return _Feed(ws, caller, key, keys=keys, settings=settings)


FeedBody = Callable[[_Feed, int | None], Awaitable[None]]


async def serve(ws: WebSocket, body: FeedBody, *, keys: ApiKeys, settings: Settings) -> None:
    """Every feed's life: accept and authenticate, then ``body(feed, after)`` under the feed's
    pings, lifetime cap and close codes (a bad ``after=`` closes it 4400)."""
    feed = await _opened(ws, keys=keys, settings=settings)
    if feed is None:
        return

    async def run_body() -> None:
        feed.batch = batch_param(ws)
        await body(feed, after_param(ws))

    await feed.run(run_body)


def _up_to_final(items: list[Relayed]) -> tuple[list[Relayed], bool]:
    """The events up to the job's final one, and whether that one is among them."""
    for end, item in enumerate(items, 1):
        if item.event.kind in TERMINAL:
            return items[:end], True
    return items, False


async def _relay_until_finished(feed: _Feed, items: list[Relayed]) -> bool:
    """Send the events up to the job's final one; after it close the feed (1000) and say so."""
    items, finished = _up_to_final(items)
    await feed.events(items)
    if finished:
        await feed.close(1000, "job finished")
    return finished


async def _one_job(
    feed: _Feed, after: int | None, *, job_id: str, feeds: FanOut, reads: JobReads,
    stream: JetStreamContext, retention: timedelta,
) -> None:  # fmt: skip
    user_id = feed.caller.user_id
    with feeds.listen(Listener(job_id=job_id, user_id=user_id)) as listener:
        state = await reads.current(job_id, user_id)
        if after is None:
            feed.progress.seen(job_id, state.progress_done)
            feed.last_seq = state.last_event_seq
            await feed.send(
                {
                    "type": "snapshot",
                    "seq": state.last_event_seq,
                    "job": JobView.of(state, retention=retention),
                }
            )
            if state.is_terminal:
                await feed.close(1000, "job finished")
                return
        else:
            await check_resume_point(stream, after)
            feed.last_seq = after
            missed = await job_since(stream, job_id, after)
            if missed and await _relay_until_finished(feed, missed):
                return
            if state.is_terminal:  # it ended at or before ``after``: nothing more will come
                await feed.close(1000, "job finished")
                return
        await feed.follow(listener, until_terminal=True)


async def _every_job(
    feed: _Feed, after: int | None, *, feeds: FanOut, reads: JobReads,
    stream: JetStreamContext, retention: timedelta,
) -> None:  # fmt: skip
    user_id = feed.caller.user_id

    def mine(event: JobEvent) -> bool:
        return event.data.user_id == user_id

    with feeds.listen(Listener(job_id=None, user_id=user_id)) as listener:
        if after is None:
            position, jobs = await reads.active_at_position(user_id)
            for job in jobs:
                feed.progress.seen(job.id, job.progress_done)
            feed.last_seq = position
            await feed.send(
                {
                    "type": "snapshot",
                    "seq": position,
                    "jobs": [JobView.of(j, retention=retention) for j in jobs],
                }
            )
        else:
            await check_resume_point(stream, after)
            feed.last_seq = after
        # What happened between that point and now comes from the stream, then live.
        async for item in stream_since(stream, feed.last_seq, keep=mine):
            await feed.events([item])
        await feed.follow(listener, until_terminal=False)


@router.websocket("/api/v1/jobs/{job_id}/events")
async def job_feed(
    ws: WebSocket, job_id: uuid.UUID, settings: GatewaySettings, keys: Keys, feeds: Feeds,
    reads: Reads, stream: EventStream,
) -> None:  # fmt: skip
    structlog.contextvars.bind_contextvars(job_id=str(job_id))
    body = functools.partial(
        _one_job, job_id=str(job_id), feeds=feeds, reads=reads, stream=stream,
        retention=settings.retention,
    )  # fmt: skip
    await serve(ws, body, keys=keys, settings=settings)


@router.websocket("/api/v1/jobs/events")
async def user_feed(
    ws: WebSocket, settings: GatewaySettings, keys: Keys, feeds: Feeds, reads: Reads,
    stream: EventStream,
) -> None:  # fmt: skip
    body = functools.partial(
        _every_job, feeds=feeds, reads=reads, stream=stream, retention=settings.retention
    )
    await serve(ws, body, keys=keys, settings=settings)
