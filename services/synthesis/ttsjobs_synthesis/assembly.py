"""A job's audio, put together while its turns are still being synthesized.

Turns finish in any order; each is levelled (audio.py) and appended to the job's spool file
(spool.py) as soon as every turn before it is there, followed by its pause, and measured as it
goes (mastering.LoudnessMeter). A job that asks for mastering writes its turns to a float mix
instead, which ``finish`` masters into the spool in a second pass. A turn that finishes
early waits in memory only until its predecessors are written, and ``wait_written`` lets the
caller hold back new turns while too many wait, so memory holds a few turns, never the job.
The audio may not pass the job's duration limit: the turn that would pass it fails the job.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar

import numpy as np

from ttsjobs.contracts.duration import LIMIT_SETTING, length_in_words
from ttsjobs.contracts.job_request import Mastering, OutputFormat
from ttsjobs.messaging.consumer import PermanentFailure
from ttsjobs_synthesis import audio, mastering
from ttsjobs_synthesis.providers.base import Speech
from ttsjobs_synthesis.spool import AudioSpool

# Turns this short (WAV only) are levelled and written on the event loop: well under a
# millisecond, less than handing them to a thread and waking the loop again. So is a file
# this small hashed.
_INLINE_FRAMES = 24_000
_INLINE_BYTES = 2**20

T = TypeVar("T")


class AudioTooLong(PermanentFailure):
    """The job's audio passed its limit: it would only have grown further."""

    def __init__(self, limit_s: int) -> None:
        super().__init__(
            f"the audio passed {length_in_words(limit_s)}, the limit ({LIMIT_SETTING})"
        )


class TurnSink(Protocol):
    """Sees each turn as it goes into the job's audio (stems, live playback).

    Called from the thread that writes the spool, never on the event loop: a sink reaches the
    loop only through ``loop.call_soon_threadsafe``. A sink must not change ``samples``.
    """

    def turn_written(self, index: int, samples: np.ndarray, start_frame: int, rate: int) -> None:
        """Turn ``index``, in turn order: its levelled float32 mono samples (before mastering,
        its pause not included), starting at ``start_frame`` of the job's audio."""

    def finished(self) -> None:
        """Once, after the last turn was written."""


@dataclass(frozen=True)
class TurnPlan:
    volume: float = 1.0
    pause_after_ms: int = 0  # the last turn's is not added: the audio ends with its speech


@dataclass(frozen=True)
class AssemblyPlan:
    turns: list[TurnPlan]
    format: OutputFormat
    requested_rate: int | None  # None: the first turn's rate (48 kHz for Opus)
    max_audio_seconds: int
    spool_dir: Path | None = None
    sinks: tuple[TurnSink, ...] = ()
    bitrate_kbps: int | None = None  # None: the encoder's own
    mastering: Mastering = Mastering.none


@dataclass(frozen=True)
class StoredAudio:
    size_bytes: int
    sha256: str


class JobAssembly:
    def __init__(self, plan: AssemblyPlan) -> None:
        self.plan = plan
        self.spans: list[audio.Span] = []
        self.rate = 0
        self._frames = 0  # written so far, pauses included
        self._spool: AudioSpool | None = None
        self._mix: mastering.FloatMix | None = None  # only when the job is mastered
        self._meter: mastering.LoudnessMeter | None = None
        self.loudness: mastering.Measured | None = None  # the file's, once finished
        self._waiting: dict[int, Speech] = {}
        self._writing = False
        # Turns waiting to start, by the count of written turns each waits for.
        self._waiters: dict[int, list[asyncio.Future[None]]] = {}
        self._in_thread: asyncio.Future[Any] | None = None

    @property
    def written(self) -> int:
        """Turns written to the spool, in order."""
        return len(self.spans)

    @property
    def duration_ms(self) -> int:
        return audio.frames_to_ms(self._frames, self.rate) if self.rate else 0

    async def wait_written(self, count: int) -> None:
        """Until at least ``count`` turns are written."""
        if self.written >= count:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(count, []).append(waiter)
        await waiter

    async def add(self, index: int, speech: Speech) -> None:
        """Turn ``index`` is done. Written now if every turn before it is, with any that waited
        for it; otherwise kept until then."""
        self._waiting[index] = speech
        if self._writing:
            return  # the add writing now picks it up once its predecessors are written
        self._writing = True
        try:
            while self.written in self._waiting:
                speech = self._waiting.pop(self.written)
                if self.plan.format is OutputFormat.wav and len(speech.samples) <= _INLINE_FRAMES:
                    self._write_turn(speech)
                else:
                    await self._off_loop(functools.partial(self._write_turn, speech))
                for waiter in self._waiters.pop(self.written, ()):
                    if not waiter.done():
                        waiter.set_result(None)
        finally:
            self._writing = False

    async def finish(self) -> StoredAudio:
        """The complete file's size and hash, once every turn is written."""
        assert self._spool is not None and self.written == len(self.plan.turns)
        assert self._meter is not None
        spool, meter, mix = self._spool, self._meter, self._mix
        if mix is not None:
            preset = self.plan.mastering
            measured = meter.result()

            def master_and_finish() -> tuple[int, str]:
                self.loudness = mastering.master(mix, spool.rate, preset, measured, spool.write)
                return spool.finish()

            size, digest = await self._off_loop(master_and_finish)
        elif self._frames * 2 <= _INLINE_BYTES and self.plan.format is OutputFormat.wav:
            self.loudness = meter.result()
            size, digest = spool.finish()
        else:
            self.loudness = meter.result()
            size, digest = await self._off_loop(spool.finish)
        return StoredAudio(size, digest)

    def premaster_mix(self) -> np.ndarray | None:
        """The mix before mastering, whole in memory (for tests); None if the job was not
        mastered: its file is that mix."""
        return None if self._mix is None else self._mix.read(0, self._mix.frames)

    def reader(self) -> BinaryIO:
        assert self._spool is not None
        return self._spool.reader()

    async def aclose(self) -> None:
        """Give the spool's disk space back, once a write still running in a thread (the job
        stopped meanwhile) has ended: a few milliseconds at most."""
        try:
            if self._in_thread is not None:
                await asyncio.wait({self._in_thread})
        finally:
            self.close()  # cancelled while waiting: the thread's end closes it

    def close(self) -> None:
        """Give the spool's disk space back: now, or once a write still running in a thread
        has ended. Nothing to await, so a cancel cannot skip it."""
        spool, self._spool = self._spool, None
        mix, self._mix = self._mix, None
        if spool is None:
            return
        files: tuple[AudioSpool | mastering.FloatMix, ...] = (
            (spool,) if mix is None else (spool, mix)
        )
        if self._in_thread is None:
            _close(files)
        elif self._in_thread.done():
            _close_after(files, self._in_thread)
        else:
            self._in_thread.add_done_callback(lambda ended: _close_after(files, ended))

    async def _off_loop(self, work: Callable[[], T]) -> T:
        """``work`` in a thread. A job stopped meanwhile (a failed turn, a cancel) does not stop
        the thread: ``aclose`` and ``close`` let it end before the file goes."""
        run = functools.partial(contextvars.copy_context().run, work)
        future = asyncio.get_running_loop().run_in_executor(None, run)
        self._in_thread = future
        return await asyncio.shield(future)

    def _write_turn(self, speech: Speech) -> None:
        index = self.written
        plan = self.plan.turns[index]
        spool = self._spool or self._open(speech.sample_rate)
        rate = spool.rate
        samples = audio.level(
            audio.to_float(speech, rate), rate, volume=plan.volume, loudness=speech.loudness_lufs
        )
        last = index == len(self.plan.turns) - 1
        pause = 0 if last else round(rate * plan.pause_after_ms / 1000)
        end = self._frames + len(samples) + pause
        if end > self.plan.max_audio_seconds * rate:
            raise AudioTooLong(self.plan.max_audio_seconds)
        mix = self._mix or spool
        mix.write(samples)
        mix.write_silence(pause)
        assert self._meter is not None
        self._meter.add(samples)
        self._meter.add_silence(pause)
        start = self._frames
        self._frames = end
        self.spans.append(
            audio.Span(
                audio.frames_to_ms(start, rate), audio.frames_to_ms(start + len(samples), rate)
            )
        )
        for sink in self.plan.sinks:
            sink.turn_written(index, samples, start, rate)
        if last:
            for sink in self.plan.sinks:
                sink.finished()

    def _open(self, first_rate: int) -> AudioSpool:
        self.rate = audio.output_rate(
            first_rate, self.plan.requested_rate, self.plan.format, self.plan.bitrate_kbps
        )
        self._spool = AudioSpool(
            self.plan.format,
            self.rate,
            directory=self.plan.spool_dir,
            bitrate_kbps=self.plan.bitrate_kbps,
        )
        self._meter = mastering.LoudnessMeter(self.rate)
        if self.plan.mastering is not Mastering.none:
            self._mix = mastering.FloatMix(self.plan.spool_dir)
        return self._spool


def _close_after(
    files: tuple[AudioSpool | mastering.FloatMix, ...], write: asyncio.Future[Any]
) -> None:
    if not write.cancelled():
        write.exception()  # retrieved: a job that stopped meanwhile never awaited it
    _close(files)


def _close(files: tuple[AudioSpool | mastering.FloatMix, ...]) -> None:
    for file in files:
        file.close()
