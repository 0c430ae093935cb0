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

import ahocorasick
import regex

from ttsjobs.contracts.lexicon import Lexicon, UsedEntry

_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entry: UsedEntry


def _wordish(char: str) -> bool:
    return char.isalnum() and _UNSPACED.match(char) is None


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not part of a longer word at an alphabetic edge."""
    if _wordish(text[start]) and start > 0 and _wordish(text[start - 1]):
        return False
    return not (_wordish(text[end - 1]) and end < len(text) and _wordish(text[end]))


class EntryMatcher:
    """Finds the entries' graphemes in texts; for a grapheme in several entries the first wins."""

    def __init__(self, entries: Iterable[UsedEntry]) -> None:
        self._entries: dict[str, UsedEntry] = {}
        for entry in entries:
            self._entries.setdefault(entry.grapheme, entry)
        self._automaton = ahocorasick.Automaton()
        for grapheme in self._entries:
            self._automaton.add_word(grapheme, len(grapheme))
        if self._entries:
            self._automaton.make_automaton()

    def matches(self, text: str) -> list[Match]:
        """Non-overlapping matches, leftmost first and longest there."""
        if not self._entries or not text:
            return []
        found: list[Match] = []
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

    def _shorter(self, text: str, start: int, longest: int, found: list[Match]) -> int:
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


def snapshot_entries(lexicons: Sequence[tuple[str, Lexicon]]) -> list[UsedEntry]:
    """Every entry of the named lexicons, in the order they were named, alphabets resolved."""
    return [
        UsedEntry(
            lexicon=name,
            grapheme=entry.grapheme,
            alias=entry.alias,
            phoneme=entry.phoneme,
            alphabet=(entry.alphabet or lexicon.alphabet) if entry.phoneme is not None else None,
        )
        for name, lexicon in lexicons
        for entry in lexicon.entries
    ]


def used_entries(texts: Iterable[str], lexicons: Sequence[tuple[str, Lexicon]]) -> list[UsedEntry]:
    """The entries that apply somewhere in the texts: a job's snapshot, first lexicon first."""
    matcher = EntryMatcher(snapshot_entries(lexicons))
    used: set[str] = set()
    for text in texts:
        used.update(m.entry.grapheme for m in matcher.matches(text))
    seen: set[str] = set()
    kept = []
    for entry in snapshot_entries(lexicons):
        if entry.grapheme in used and entry.grapheme not in seen:
            seen.add(entry.grapheme)
            kept.append(entry)
    return kept
