"""What a turn carries to its engine besides the text: how its role reads Mandarin, and the
lexicon entries that apply in it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ttsjobs.contracts.lexicon import UsedEntry
from ttsjobs.lexicons.matching import EntryMatcher


@dataclass(frozen=True)
class Pronunciation:
    reading: str | None = None  # "taiwan" or "mainland"; None: the voice reads no Mandarin
    entries: tuple[UsedEntry, ...] = ()  # only those whose grapheme is in the turn

    def identity(self) -> str:
        """What a segment's key holds of it: an entry that applies, changed, is another sound."""
        entries = sorted(e.model_dump_json(exclude_none=True) for e in self.entries)
        return json.dumps([self.reading, entries], ensure_ascii=False)


PLAIN = Pronunciation()


def for_turn(matcher: EntryMatcher, text: str, reading: str | None) -> Pronunciation:
    seen: dict[str, UsedEntry] = {}
    for match in matcher.matches(text):
        seen.setdefault(match.entry.grapheme, match.entry)
    return Pronunciation(reading, tuple(seen.values()))
