"""A job's word and character timing: the S3 object synthesis stores beside the audio, and the
gateway reads to render word-level captions.

It travels as an object of its own, referenced from the result (``JobResult.timing``), never
inside an event: a 100,000-character job's character timings are megabytes, and a NATS message
holds at most one.

Times are milliseconds into the job's audio. Offsets are code points into the text as the user
sent it: a turn's text for a dialogue, the whole text for a single_tts job (``offsets``), so a
caption or a highlight points at what was written ("40–60°C"), not at what was said for it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TIMING_CONTENT_TYPE = "application/json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimedText(_Model):
    text: str = Field(description="the user's characters: the turn's text[char_start:char_end]")
    start_ms: int = Field(ge=0)
    end_ms: int = Field(ge=0)
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)


class TurnWords(_Model):
    index: int = Field(ge=0, description="the turn")
    words: list[TimedText] = Field(
        description="in order; English words, Mandarin words (jieba's, or the engine's own)"
    )
    characters: list[TimedText] = Field(description="every spoken code point, in order")


class JobTiming(_Model):
    offsets: Literal["turn", "text"] = Field(
        description="turn: offsets into each turn's text; text: into the job's whole text"
        " (single_tts, whose turns are its sentences)"
    )
    turns: list[TurnWords] = Field(description="the turns the engine timed; others are left out")


class TimingObject(_Model):
    key: str = Field(
        description="the timing's object key (a JobTiming as JSON), in the audio's bucket"
    )
    size_bytes: int = Field(ge=0)
