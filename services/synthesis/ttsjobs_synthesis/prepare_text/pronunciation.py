"""What a turn carries to its engine besides the text: how its role reads Mandarin, the lexicon
entries that apply in it, and the turn's own markup: how single places in it are said
(``spoken_as``: an alias, a phoneme, a say-as, each for its span only) and the language it is
spoken in where that is not the voice's own."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ttsjobs.contracts.lexicon import UsedEntry
from ttsjobs.contracts.turn_markup import SpokenAs
from ttsjobs.lexicons.matching import EntryMatcher


@dataclass(frozen=True)
class Pronunciation:
    reading: str | None = None  # "taiwan" or "mainland"; None: the voice reads no Mandarin
    entries: tuple[UsedEntry, ...] = ()  # only those whose grapheme is in the turn
    spoken_as: tuple[SpokenAs, ...] = ()  # in order, not overlapping: code points into the turn
    language: str | None = None  # BCP 47: the turn's own language; None: the voice's

    def identity(self) -> str:
        """What a segment's key holds of it: an entry that applies, changed, is another sound;
        so is a span said another way, or another language. A turn without markup keeps the
        key it had before turns carried markup."""
        entries = sorted(e.model_dump_json(exclude_none=True) for e in self.entries)
        identity: list[object] = [self.reading, entries]
        if self.spoken_as or self.language is not None:
            spans = [s.model_dump(mode="json", exclude_none=True) for s in self.spoken_as]
            identity += [spans, self.language]
        return json.dumps(identity, ensure_ascii=False)

    def within(self, text: str, start: int, end: int) -> Pronunciation:
        """The same for ``text[start:end]`` said on its own (a turn in pieces): the entries
        found in it, its spans moved to its offsets. A span across the cut is the caller's to
        avoid."""
        piece = text[start:end]
        return Pronunciation(
            self.reading,
            tuple(e for e in self.entries if e.grapheme in piece),
            tuple(
                s.model_copy(
                    update={"char_start": s.char_start - start, "char_end": s.char_end - start}
                )
                for s in self.spoken_as
                if start <= s.char_start and s.char_end <= end
            ),
            self.language,
        )

    def has_phonemes(self) -> bool:
        """Whether anything in the turn is given as phonemes (a lexicon reading or a span's)."""
        return any(e.alias is None and e.phoneme is not None for e in self.entries) or any(
            s.phoneme is not None for s in self.spoken_as
        )


PLAIN = Pronunciation()


def for_turn(
    matcher: EntryMatcher,
    text: str,
    reading: str | None,
    *,
    spoken_as: tuple[SpokenAs, ...] = (),
    language: str | None = None,
) -> Pronunciation:
    seen: dict[str, UsedEntry] = {}
    for match in matcher.matches(text):
        seen.setdefault(match.entry.grapheme, match.entry)
    return Pronunciation(reading, tuple(seen.values()), spoken_as, language)
