"""The pronunciation preview: what a voice will say for a text, word by word, before a job.

The gateway asks over NATS request-reply (``PREVIEW_SUBJECT``, any synthesis worker answers)
with the text, its language and reading standard, and the lexicon entries that apply; synthesis
answers through the same prepare-text stage its voices use, so the preview is what is spoken.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ttsjobs.contracts.job_request import Reading
from ttsjobs.contracts.lexicon import UsedEntry

PREVIEW_SUBJECT = "ttsjobs.pronunciations.preview"
PREVIEW_QUEUE = "synthesis-preview"


class PreviewAsked(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    language: str = Field(description="BCP 47 of the voice (zh-CN, en-US…)")
    reading: Reading | None = None
    entries: list[UsedEntry] = Field(default_factory=list)


class PreviewWord(BaseModel):
    text: str = Field(description="the word as written")
    start: int = Field(ge=0, description="where it is in the text, in characters")
    end: int = Field(ge=0)
    reading: str | None = Field(
        default=None, description="what is said: pinyin with tone marks for Chinese, else IPA"
    )
    pinyin: str | None = Field(default=None, description="Chinese: pinyin with tone marks")
    bopomofo: str | None = Field(default=None, description="Chinese: Bopomofo (Zhuyin)")
    source: str = Field(
        description="where the reading came from: g2p, taiwan (Taiwan's standard readings),"
        " rule (a polyphone rule), normalised (a number, date, time…), latin (a known Latin"
        " word), lexicon:<name>, or other (punctuation: nothing said)",
        examples=["taiwan"],
    )


class Preview(BaseModel):
    language: str
    reading: Reading | None = Field(
        default=None, description="the reading standard Mandarin is read with"
    )
    words: list[PreviewWord]


class PreviewFailed(BaseModel):
    """Synthesis' answer when it cannot read a lexicon entry it was given."""

    problem: str
