"""A user's pronunciation lexicon, as the gateway stores it and a job snapshots it (its
entries travel in requests and events, so it is a contract).

One form for both ways in (W3C PLS 1.0 and our JSON rule list, see pls.py and json_form.py):
a list of entries, each a grapheme (the text as written) with an alias (other text to say) or a
phoneme (a reading in one of the alphabets). Alias wins over phoneme; graphemes are
case-sensitive; Latin graphemes match whole words, Han graphemes the longest run.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ttsjobs.contracts.strings import STORABLE

# A lexicon fits one NATS KV value with room to spare, and a user's lexicons fit a job's snapshot
# budget (SNAPSHOT_MAX_BYTES) once cut down to the entries the job uses.
LEXICON_MAX_BYTES = 256 * 1024
MAX_LEXICONS_PER_USER = 20
MAX_ENTRIES = 10_000
# The entries a job uses travel inside JobCreated, whose limit is NATS' 1 MB.
SNAPSHOT_MAX_BYTES = 256 * 1024


class Alphabet(StrEnum):
    ipa = "ipa"
    x_sampa = "x-sampa"
    pinyin = "pinyin"  # tone numbers, neutral 5 (Google's form): "hang2 zhang3"
    bopomofo = "bopomofo"  # Azure's zh-TW alphabet: "ㄏㄤˊ ㄓㄤˇ"
    kokoro = "kokoro"  # Kokoro's own phoneme string, passed through
    espeak = "espeak"  # espeak-ng's phoneme mnemonics, as inside its [[...]]


LexiconName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"),
    STORABLE,
    Field(description="letters, digits, '_', '.', '-'; up to 64", examples=["taiwan-brands"]),
]
Grapheme = Annotated[
    str, StringConstraints(min_length=1, max_length=100, strip_whitespace=False), STORABLE
]
Said = Annotated[str, StringConstraints(min_length=1, max_length=300), STORABLE]


class LexiconEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grapheme: Grapheme = Field(description="the text as written; case-sensitive")
    alias: Said | None = Field(default=None, description="other text to say instead")
    phoneme: Said | None = Field(default=None, description="the reading, in `alphabet`")
    alphabet: Alphabet | None = Field(
        default=None, description="the phoneme's alphabet; else the lexicon's"
    )

    @model_validator(mode="after")
    def _alias_or_phoneme(self) -> LexiconEntry:
        if self.alias is None and self.phoneme is None:
            raise ValueError("an entry needs an alias or a phoneme")
        if not self.grapheme.strip():
            raise ValueError("grapheme must not be blank")
        return self


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Annotated[str, StringConstraints(max_length=35), STORABLE] | None = Field(
        default=None, description="BCP 47, as PLS's xml:lang; informative", examples=["zh-TW"]
    )
    alphabet: Alphabet = Field(default=Alphabet.ipa, description="phonemes' default alphabet")
    entries: list[LexiconEntry] = Field(max_length=MAX_ENTRIES)


class UsedEntry(BaseModel):
    """One entry a job uses, as it was at submit: the job's snapshot, so that a replay sounds
    the same after the lexicon changed. The alphabet is resolved (never the lexicon's default)."""

    model_config = ConfigDict(extra="forbid")

    lexicon: LexiconName
    grapheme: Grapheme
    alias: Said | None = None
    phoneme: Said | None = None
    alphabet: Alphabet | None = None
