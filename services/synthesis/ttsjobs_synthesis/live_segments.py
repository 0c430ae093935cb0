"""A running job's finished beginning, in the bucket as it grows, to be heard before the job ends.

A TurnSink of the job's assembly (assembly.py): each written turn, its pause before it included,
becomes the next piece of one MP3 stream (live_mp3.py), uploaded as one segment or, if longer than
the playlist's target duration, as several of about equal length; then the job's manifest lists
it (ttsjobs.jobs.live_audio). Turns arrive in order, so what is listed is always a
prefix of the job's audio, levelled but not mastered. The gateway serves it as an HLS playlist.

Encoding runs in a thread and uploads one at a time on the event loop, behind the assembly: a slow
bucket delays what can be heard early, never the job. A failed upload stops the live audio only;
the job's own file is stored as always. A job resumed by another worker keeps the segments already
listed, so its playlist never shrinks.

Nothing is uploaded until the job has run for ``hold_s``: a job that ends sooner is heard whole
at its end, and its two PUTs a turn (segment and manifest) would only delay that end.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import numpy as np
import structlog

from ttsjobs.contracts.job_events import JobCreated
from ttsjobs.jobs.live_audio import (
    CONTENT_TYPE,
    TARGET_DURATION_S,
    LiveManifest,
    live_folder,
    manifest_key,
    segment_key,
)
from ttsjobs_synthesis.live_mp3 import Mp3Stream, Piece
from ttsjobs_synthesis.segments import ObjectStore

log = structlog.get_logger()


@dataclass(frozen=True)
class _Turn:
    index: int
    samples: np.ndarray
    silence_before: int  # the previous turn's pause, in frames at the job's rate
    rate: int


class LiveSegments:
    """Start it on the event loop (``start``), hand it to the assembly as a sink, and ``drain``
    it before the job's end is published (or ``aclose`` it when the job stops)."""

    def __init__(
        self, store: ObjectStore, folder: str, *, turns: int, resumed: bool, hold_s: float = 0.0
    ) -> None:
        self._store = store
        self._hold_s = hold_s
        self._started = 0.0
        self._folder = folder
        self._turns = turns
        self._resumed = resumed
        self._queue: asyncio.Queue[_Turn] = asyncio.Queue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._end_frame = 0  # where the last turn written ended, in the job's audio

    @classmethod
    def for_job(
        cls, event: JobCreated, store: ObjectStore, *, attempt: int, hold_s: float = 0.0
    ) -> LiveSegments:
        """The job's live segments, started on the running loop."""
        folder = live_folder(event.data.user_id, event.time, event.subject)
        live = cls(store, folder, turns=len(event.data.request.turns), resumed=attempt > 1,
                   hold_s=hold_s)  # fmt: skip
        live.start()
        return live

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._started = self._loop.time()
        self._task = asyncio.create_task(self._run(), name="live segments")

    # The TurnSink, called from the thread that writes the job's spool.
    def turn_written(self, index: int, samples: np.ndarray, start_frame: int, rate: int) -> None:
        assert self._loop is not None, "start() first"
        turn = _Turn(index, samples, start_frame - self._end_frame, rate)
        self._end_frame = start_frame + len(samples)
        self._loop.call_soon_threadsafe(self._queue.put_nowait, turn)

    def finished(self) -> None:
        return None  # the last turn is known by its index: its segment carries the stream's end

    async def drain(self) -> None:
        """Until every turn written so far is uploaded and listed; nothing, for a job that
        ended within its hold."""
        assert self._loop is not None, "start() first"
        if self._loop.time() - self._started < self._hold_s:
            await self.aclose()
        elif self._task is not None:
            await asyncio.wait({self._task})

    async def aclose(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task})

    async def _run(self) -> None:
        try:
            await asyncio.sleep(self._hold_s)  # turns written meanwhile wait in the queue
            kept = await self._listed_before() if self._resumed else 0
            stream: Mp3Stream | None = None
            manifest: LiveManifest | None = None
            for _ in range(self._turns):
                turn = await self._queue.get()
                stream = stream or Mp3Stream(turn.rate)
                manifest = manifest or LiveManifest(rate=stream.rate)
                piece = await asyncio.to_thread(_encode, stream, turn, self._turns)
                parts = piece.cut(TARGET_DURATION_S * stream.rate)
                for n, part in enumerate(parts):
                    index = len(manifest.frames)
                    manifest.frames.append(part.frames)
                    manifest.complete = turn.index == self._turns - 1 and n == len(parts) - 1
                    if index < kept and not manifest.complete:
                        continue  # listed by the attempt before: the same bytes are there
                    await self._upload(index, part, manifest)
        except Exception:
            # Only the early listening is lost: the job goes on and stores its audio as always.
            log.warning("live_segments.stopped", folder=self._folder, exc_info=True)

    async def _upload(self, index: int, part: Piece, manifest: LiveManifest) -> None:
        """The segment, then the manifest that lists it: a listed segment is always there."""
        await self._store.put(segment_key(self._folder, index), part.data, CONTENT_TYPE)
        await self._store.put(
            manifest_key(self._folder), manifest.model_dump_json().encode(), "application/json"
        )

    async def _listed_before(self) -> int:
        stored = await self._store.get_with_metadata(manifest_key(self._folder))
        if stored is None:
            return 0
        return len(LiveManifest.model_validate_json(stored[0]).frames)


def _encode(stream: Mp3Stream, turn: _Turn, turns: int) -> Piece:
    piece = stream.encode(turn.samples, silence_before=turn.silence_before)
    if turn.index < turns - 1:
        return piece
    return piece + stream.flush()
