"""The audio of a speech request's job, as it comes.

The job is watched through the gateway's own reads (``JobReads.current``: a job this gateway
accepted is answered from the live cache) woken by its events at the fan-out (the feeds'
subscription, so nothing polls the database), and its live manifest in the bucket is read a few
times a second while it runs, since segments land behind the events.

- Not started within ``openai_start_wait_s``: ``JobNotStarted`` (503); the job goes on.
- mp3, streamed: each live segment as the job's manifest lists it (one continuous MP3 stream
  cut at frame boundaries, so the segments back to back are one valid MP3). A job done before
  its live hold stores no segments: then the final file. Live segments are levelled but not
  mastered; a job of this route asks for no mastering, so they are its audio.
- Every other format, or ``stream: false``: the final file once the job has completed (pcm
  and aac converted from it, formats.py). A live MP3 decoded to PCM would be lossy and the
  final file is exact, so only mp3 streams as sentences finish.
- A job that fails or is cancelled before any audio is sent is an error answer
  (``JobEndedWithoutAudio``); after that, the body simply ends: the client sees a short body.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator

import structlog
from minio import Minio

from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs_gateway.feeds.fan_out import FanOut
from ttsjobs_gateway.feeds.listeners import Listener
from ttsjobs_gateway.growing_playlist import LiveSegmentMissing, manifest, segment
from ttsjobs_gateway.openai_compat.errors import (
    AnswerTimedOut,
    JobEndedWithoutAudio,
    JobNotStarted,
)
from ttsjobs_gateway.openai_compat.formats import CHUNK, converted, stored_chunks
from ttsjobs_gateway.openai_compat.request import ResponseFormat
from ttsjobs_gateway.reads.current import JobReads

log = structlog.get_logger()

# How often a running job's live manifest is read: segments are uploaded behind the turn's
# progress event, so an event alone does not say a segment is there.
MANIFEST_TICK_S = 0.25
EVENT_TICK_S = 1.0  # a missed wake-up costs at most this long


class SpeechAnswer:
    """``begin()`` in the route (its errors are still answers), then ``body()`` streams."""

    def __init__(
        self,
        state: JobState,
        *,
        fmt: ResponseFormat,
        reads: JobReads,
        feeds: FanOut,
        s3: Minio,
        bucket: str,
        start_wait_s: float,
        deadline_s: float,
    ) -> None:
        self._job_id, self._user_id = state.id, state.user_id
        self._fmt = fmt
        self._reads, self._s3, self._bucket = reads, s3, bucket
        self._start_wait_s, self._deadline_s = start_wait_s, deadline_s
        self._deadline = time.monotonic() + deadline_s
        self._listener = Listener(job_id=state.id, user_id=state.user_id)
        self._listening = contextlib.ExitStack()
        # Before the first read: no event of the job falls between the two.
        self._listening.enter_context(feeds.listen(self._listener))

    def close(self) -> None:
        """Stop listening; a second call does nothing."""
        self._listening.close()

    async def started(self) -> JobState:
        """The job once it has left pending, or JobNotStarted after the start wait."""
        state = await self._until(
            lambda s: s.status is not JobStatus.pending,
            deadline=time.monotonic() + self._start_wait_s,
        )
        if state.status is JobStatus.pending:
            log.info("openai.job_not_started", waited_s=self._start_wait_s)
            raise JobNotStarted(self._job_id, self._start_wait_s)
        return state

    async def whole(self) -> bytes:
        """The final file in the answer's format."""
        state = await self._completed()
        data = b"".join(await asyncio.to_thread(lambda: list(stored_chunks(self._s3, state))))
        return await asyncio.to_thread(converted, data, self._fmt)

    async def begin(self, *, live: bool) -> AsyncIterator[bytes]:
        """The body, its first chunk already in hand: an error up to there is an answer."""
        chunks = self._live() if live else self._final()
        try:
            first = await anext(chunks)
        except StopAsyncIteration:
            first = b""
        return self._body(first, chunks)

    async def _body(self, first: bytes, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        # A client that leaves mid-stream cancels this generator: the job is left to finish.
        try:
            yield first
            async for chunk in chunks:
                yield chunk
        finally:
            self.close()

    async def _live(self) -> AsyncIterator[bytes]:
        sent = 0
        while True:
            state = await self._state()  # before the manifest: a finished job's is whole
            listed = await manifest(self._s3, self._bucket, state)
            try:
                for index in range(sent, len(listed.frames) if listed else 0):
                    yield await segment(self._s3, self._bucket, state, index)
                    sent += 1
            except LiveSegmentMissing:  # removed with a job that failed or was cancelled
                state = await self._state()
            if state.is_terminal or time.monotonic() > self._deadline:
                break
            await self._changed(MANIFEST_TICK_S)
        if sent == 0:
            async for chunk in self._final():
                yield chunk
        elif state.status is not JobStatus.completed or not (listed and listed.complete):
            log.warning("openai.stream_cut", status=state.status.value, segments=sent)

    async def _final(self) -> AsyncIterator[bytes]:
        state = await self._completed()
        if self._fmt in (ResponseFormat.pcm, ResponseFormat.aac):
            data = await self.whole()
            for at in range(0, len(data), CHUNK):
                yield data[at : at + CHUNK]
            return
        chunks = stored_chunks(self._s3, state)
        try:
            while (chunk := await asyncio.to_thread(_next, chunks)) is not None:
                yield chunk
        finally:
            chunks.close()  # the bucket's response, when the client leaves early

    async def _completed(self) -> JobState:
        state = await self._until(lambda s: s.is_terminal, deadline=self._deadline)
        if not state.is_terminal:
            raise AnswerTimedOut(self._job_id, self._deadline_s)
        if state.status is not JobStatus.completed or state.result is None:
            raise JobEndedWithoutAudio(self._job_id, state.status.value, state.error_message)
        return state

    async def _until(self, done: Callable[[JobState], bool], *, deadline: float) -> JobState:
        while not done(state := await self._state()) and time.monotonic() < deadline:
            await self._changed(min(EVENT_TICK_S, max(0.0, deadline - time.monotonic())))
        return state

    async def _state(self) -> JobState:
        return await self._reads.current(self._job_id, self._user_id)

    async def _changed(self, timeout_s: float) -> None:
        """Until an event of the job arrives, or ``timeout_s``; events queued are taken."""
        queue = self._listener.queue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(queue.get(), timeout_s)
        while not queue.empty():
            queue.get_nowait()


def _next(chunks: Iterator[bytes]) -> bytes | None:
    return next(chunks, None)
