"""Where a job's lexicon entries apply in its text: the same answer at the gateway (which entries
a job uses, for its snapshot) and in synthesis (what each turn says).

Graphemes are case-sensitive. A grapheme that begins or ends with a letter or digit of an
alphabet (Latin, Cyrillic…) matches whole words only, so that "LINE" is not found in "LINEAR";
Han, kana and Hangul have no spaces between words, so there the longest grapheme at the
leftmost place wins. One Aho-Corasick pass (pyahocorasick's leftmost-longest search) finds them, so
a lexicon of thousands of entries costs about as much as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import ahocorasick
import regex

from ttsjobs.contracts.lexicon import Lexicon, LexiconEntry, UsedEntry

_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


class HasGrapheme(Protocol):
    @property
    def grapheme(self) -> str: ...


E = TypeVar("E", bound=HasGrapheme)


@dataclass(frozen=True)
class Match(Generic[E]):
    start: int
    end: int
    entry: E


def _wordish(char: str) -> bool:
    return char.isalnum() and _UNSPACED.match(char) is None


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not part of a longer word at an alphabetic edge."""
    if _wordish(text[start]) and start > 0 and _wordish(text[start - 1]):
        return False
    return not (_wordish(text[end - 1]) and end < len(text) and _wordish(text[end]))


class EntryMatcher(Generic[E]):
    """Finds the entries' graphemes in texts; for a grapheme in several entries the first wins."""

    def __init__(self, entries: Iterable[E]) -> None:
        self._entries: dict[str, E] = {}
        for entry in entries:
            self._entries.setdefault(entry.grapheme, entry)
        self._automaton = ahocorasick.Automaton()
        for grapheme in self._entries:
            self._automaton.add_word(grapheme, len(grapheme))
        if self._entries:
            self._automaton.make_automaton()

    def matches(self, text: str) -> list[Match[E]]:
        """Non-overlapping matches, leftmost first and longest there."""
        if not self._entries or not text:
            return []
        found: list[Match[E]] = []
        at = 0
        while at < len(text):
            resume = None
            for last, length in self._automaton.iter_long(text, at):
                start, end = last - length + 1, last + 1
                if _whole(text, start, end):
                    found.append(Match(start, end, self._entries[text[start:end]]))
                    continue
                # The longest here is part of a longer word: a shorter grapheme may still fit,
                # or none can start here at all.
                resume = self._shorter(text, start, length, found)
                break
            if resume is None:
                break
            at = resume
        return found

    def _shorter(self, text: str, start: int, longest: int, found: list[Match[E]]) -> int:
        """Take the longest whole-word grapheme at ``start`` shorter than ``longest``, if any;
        the place to search on from."""
        if start > 0 and _wordish(text[start]) and _wordish(text[start - 1]):
            end = start  # inside a word: nothing whole starts before the word ends
            while end < len(text) and _wordish(text[end]):
                end += 1
            return end
        for length in range(longest - 1, 0, -1):
            end = start + length
            entry = self._entries.get(text[start:end])
            if entry is not None and _whole(text, start, end):
                found.append(Match(start, end, entry))
                return end
        return start + 1


def _used(name: str, lexicon: Lexicon, entry: LexiconEntry) -> UsedEntry:
    alphabet = (entry.alphabet or lexicon.alphabet) if entry.phoneme is not None else None
    return UsedEntry(
        lexicon=name,
        grapheme=entry.grapheme,
        alias=entry.alias,
        phoneme=entry.phoneme,
        alphabet=alphabet,
    )


def used_entries(texts: Iterable[str], lexicons: Sequence[tuple[str, Lexicon]]) -> list[UsedEntry]:
    """The entries that apply somewhere in the texts: a job's snapshot, first lexicon first.
    Only those become UsedEntry: a user's lexicons at their caps hold some 75,000 entries."""
    first: dict[str, tuple[str, Lexicon, LexiconEntry]] = {}
    for name, lexicon in lexicons:
        for entry in lexicon.entries:
            first.setdefault(entry.grapheme, (name, lexicon, entry))
    matcher = EntryMatcher(entry for _, _, entry in first.values())
    used: set[str] = set()
    for text in texts:
        used.update(m.entry.grapheme for m in matcher.matches(text))
    return [_used(*owner) for grapheme, owner in first.items() if grapheme in used]
