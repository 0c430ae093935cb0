"""A job's word timing: each turn's ``Speech.timing`` (when the engine gives one), moved to where
the turn sits in the job's audio, stored as one object beside the audio.

``TimedTurns`` stands between the turns and the assembly and keeps each turn's timing as it
passes; once the audio is put together, ``job_timing`` places them (the assembly's spans) and
``store_timing`` uploads them. The object is the job's own (named by the job, not by content):
deleting the job deletes it, whoever else shares the audio.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

import pydantic_core

from ttsjobs.contracts.job_request import JobType, Turn
from ttsjobs.contracts.word_timing import (
    TIMING_CONTENT_TYPE,
    JobTiming,
    TimedMark,
    TimedText,
    TimingObject,
    TurnWords,
)
from ttsjobs.storage import job_object_key
from ttsjobs_synthesis.audio import Span
from ttsjobs_synthesis.providers.base import Speech, TimedSpan, Timing
from ttsjobs_synthesis.segments import ObjectStore
from ttsjobs_synthesis.turn_delivery import nfc_offset
from ttsjobs_synthesis.turns import TurnSink


class TimedTurns:
    """A TurnSink (turns.py) that keeps each turn's timing on its way to ``sink``."""

    def __init__(self, sink: TurnSink) -> None:
        self._sink = sink
        self.timings: dict[int, Timing] = {}

    async def wait_written(self, count: int) -> None:
        await self._sink.wait_written(count)

    async def add(self, index: int, speech: Speech) -> None:
        if speech.timing is not None:
            self.timings[index] = speech.timing
        await self._sink.add(index, speech)


def job_timing(
    turns: Sequence[Turn], job_type: JobType, spans: Sequence[Span], timings: dict[int, Timing]
) -> JobTiming | None:
    """The timed turns, in the job's audio; None when no turn was timed and none has marks. A
    single_tts job's offsets point into its whole text, which is its turns joined
    (sentences.py)."""
    if not timings and not any(turn.marks for turn in turns):
        return None
    single = job_type is JobType.single_tts
    out: list[TurnWords] = []
    text_at = 0
    for index, (turn, span) in enumerate(zip(turns, spans, strict=True)):
        shift = text_at if single else 0
        text_at += len(turn.text)
        timing = timings.get(index)
        if timing is None and not turn.marks:
            continue

        def placed(spans: tuple[TimedSpan, ...], span: Span = span, shift: int = shift):
            return [_placed(s, span, shift) for s in spans]

        words: TurnWords = {
            "index": index,
            "words": placed(timing.words) if timing else [],
            "characters": placed(timing.characters) if timing else [],
        }
        if turn.marks:
            words["marks"] = timed_marks(turn, timing, span, shift)
        out.append(words)
    return {"offsets": "text" if single else "turn", "turns": out}


def timed_marks(turn: Turn, timing: Timing | None, span: Span, shift: int) -> list[TimedMark]:
    """Each mark at the start of the first character spoken at or after it (the engine's
    offsets are into the NFC text), or at the turn's end; in a turn the engine did not time, at
    its share of the turn's audio."""
    out: list[TimedMark] = []
    length = max(len(turn.text), 1)
    for mark in turn.marks:
        if timing is None:
            share = (span.end_ms - span.start_ms) * mark.char_offset // length
            time_ms = span.start_ms + share
        else:
            offset = nfc_offset(turn.text, mark.char_offset)
            after = next((c for c in timing.characters if c.char_start >= offset), None)
            time_ms = span.end_ms if after is None else _placed(after, span, 0)["start_ms"]
        out.append({"name": mark.name, "time_ms": time_ms, "char_offset": mark.char_offset + shift})
    return out


def _placed(timed: TimedSpan, turn: Span, shift: int) -> TimedText:
    # Within the turn's audio: an engine's last word may be timed to a rounded end.
    end = min(turn.start_ms + timed.end_ms, turn.end_ms)
    start = min(turn.start_ms + timed.start_ms, end)
    return {
        "text": timed.text,
        "start_ms": start,
        "end_ms": end,
        "char_start": timed.char_start + shift,
        "char_end": timed.char_end + shift,
    }


def timing_key(user_id: str, created: datetime, job_id: str) -> str:
    """Beside the job's audio (its day and user folder, which retention clears), named by the
    job."""
    return job_object_key(user_id, created, job_id, "timing.json")


async def store_timing(
    store: ObjectStore,
    key: str,
    turns: Sequence[Turn],
    job_type: JobType,
    spans: Sequence[Span],
    timings: dict[int, Timing],
) -> TimingObject | None:
    """Placed and written off the event loop: a 100,000-character job's timing is about 12 MB
    of JSON, a fraction of a second to build. None when no turn was timed."""

    def encoded() -> bytes | None:
        timing = job_timing(turns, job_type, spans, timings)
        return None if timing is None else pydantic_core.to_json(timing)

    data = await asyncio.to_thread(encoded)
    if data is None:
        return None
    await store.put(key, data, TIMING_CONTENT_TYPE)
    return TimingObject(key=key, size_bytes=len(data))
