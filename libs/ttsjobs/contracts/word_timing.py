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

from typing import Literal, NotRequired, TypedDict

from pydantic import BaseModel, ConfigDict, Field

TIMING_CONTENT_TYPE = "application/json"


# The document is plain JSON, written and read without a model: a 100,000-character job has a
# million and a half fields, which a model's validation takes seconds over, and only synthesis
# writes it.
class TimedText(TypedDict):
    text: str  # the user's characters: the text's [char_start:char_end]
    start_ms: int
    end_ms: int
    char_start: int
    char_end: int


class TimedMark(TypedDict):
    """A turn's named point (SSML ``<mark>``) and when it is reached: the start of the first
    character spoken at or after it, or the turn's end."""

    name: str
    time_ms: int
    char_offset: int  # as the turn's Mark gives it (into the job's text for a single_tts job)


class TurnWords(TypedDict):
    index: int  # the turn
    words: list[TimedText]  # in order: English words, Mandarin words (jieba's or the engine's)
    characters: list[TimedText]  # every spoken code point, in order
    # The turn's marks, in its order; left out where the turn has none. A turn the engine did not
    # time is here with its marks alone (no words), their times spread over its audio.
    marks: NotRequired[list[TimedMark]]


class JobTiming(TypedDict):
    # turn: offsets into each turn's text; text: into the job's whole text (single_tts, whose
    # turns are its sentences)
    offsets: Literal["turn", "text"]
    turns: list[TurnWords]  # the turns the engine timed; others are left out


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimingObject(_Model):
    key: str = Field(
        description="the timing's object key (a JobTiming as JSON), in the audio's bucket"
    )
    size_bytes: int = Field(ge=0)
