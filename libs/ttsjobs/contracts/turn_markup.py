"""What a turn may carry beyond its text, for markup that applies at one place (SSML's
``<phoneme>``, ``<sub>``, ``<say-as>``, ``<mark>``): each names a span of the turn's text by code
points, as stored. Unlike a lexicon entry, which applies to every occurrence of its grapheme, a
``SpokenAs`` applies to its span only. The prepare-text stage reads them; the text stays the
user's own words, so captions and word timing still point into what was written."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ttsjobs.contracts.lexicon import Alphabet, Said
from ttsjobs.contracts.strings import STORABLE

MAX_SPOKEN_AS = 2_000  # per turn; more would be a document, not a turn
MAX_MARKS = 2_000


class SayAs(StrEnum):
    """SSML ``<say-as interpret-as>``, as the normaliser reads it."""

    characters = "characters"  # spelled out, letter by letter
    cardinal = "cardinal"
    ordinal = "ordinal"
    digits = "digits"  # one digit at a time
    date = "date"  # with `format` (ymd, mdy, dmy, ym, my, md, dm, y, m, d)
    time = "time"
    telephone = "telephone"
    currency = "currency"


Format = Annotated[str, StringConstraints(min_length=1, max_length=16), STORABLE]


class SpokenAs(BaseModel):
    """How the text in ``[char_start, char_end)`` is said: exactly one of an alias (``<sub>``),
    a phoneme string in ``alphabet`` (``<phoneme>``) or an interpretation (``<say-as>``)."""

    model_config = ConfigDict(extra="forbid")

    char_start: int = Field(ge=0, strict=True)
    char_end: int = Field(gt=0, strict=True)
    alias: Said | None = None
    phoneme: Said | None = None
    alphabet: Alphabet | None = None
    interpret_as: SayAs | None = None
    format: Format | None = Field(default=None, description="say-as date's field order, e.g. ymd")

    @model_validator(mode="after")
    def _one_way_to_say_it(self) -> SpokenAs:
        if self.char_end <= self.char_start:
            raise ValueError("char_end must be after char_start")
        ways = [w for w in (self.alias, self.phoneme, self.interpret_as) if w is not None]
        if len(ways) != 1:
            raise ValueError("give exactly one of alias, phoneme and interpret_as")
        if self.phoneme is not None and self.alphabet is None:
            raise ValueError("a phoneme needs its alphabet")
        if self.format is not None and self.interpret_as is None:
            raise ValueError("format goes with interpret_as")
        return self


MarkName = Annotated[str, StringConstraints(min_length=1, max_length=64), STORABLE]


class Mark(BaseModel):
    """SSML ``<mark name>``: a named point in the turn's text; the job's word timing gives its
    time."""

    model_config = ConfigDict(extra="forbid")

    name: MarkName
    char_offset: int = Field(ge=0, strict=True)


def markup_problem(text: str, spoken_as: list[SpokenAs], marks: list[Mark]) -> str | None:
    """Why a turn's markup does not fit its text (spans past the end, overlapping or out of
    order; marks past the end), or None."""
    length = len(text)
    end = 0
    for i, span in enumerate(spoken_as):
        if span.char_end > length:
            return f"spoken_as[{i}] ends past the text ({length} characters)"
        if span.char_start < end:
            return f"spoken_as[{i}] overlaps or comes before the span ahead of it"
        end = span.char_end
    for i, mark in enumerate(marks):
        if mark.char_offset > length:
            return f"marks[{i}] is past the text ({length} characters)"
    return None
