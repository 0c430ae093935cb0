"""Mandarin text to its readings, word by word, the way a reading standard reads it.

Consumes Mandarin text (Han characters, punctuation, spaces; Latin runs and digits are removed
before this step, but anything else passes through) and a reading standard, ``taiwan`` or
``mainland``. Emits WordReading spans that cover the text exactly, each with one pinyin syllable
per Han character (tone numbers, neutral 5) and where the reading came from: ``g2p`` (pypinyin's
default), ``taiwan`` (the Taiwan readings lexicon) or ``rule`` (a polyphone context rule); any
other character is a span of its own with no syllables and source ``other``.

Steps: to_simplified (same length, so positions are the user's) → jieba words → pypinyin per
word → the Taiwan lexicon (taiwan only) → context rules. jieba's and pypinyin's dictionaries are
process-wide, and a worker serves both standards, so nothing is added to them: the Taiwan lexicon
and the rules are looked up here.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .polyphones import rule_readings
from .script import to_simplified, to_traditional
from .spans import WordReading
from .taiwan_readings import (
    is_headword,
    pypinyin_knows,
    pypinyin_reading,
    taiwan_char_reading,
    taiwan_reading,
)

STANDARDS = ("taiwan", "mainland")

_HAN = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# One-character adverbs jieba joins to the word after them (别着急, 很长, 不认识).
_GLUED_ADVERBS = frozenset("别別不很太没沒也都就再还還更最真好")
_SYLLABLE = re.compile(r"[a-zêü]+[1-5]")
_HAN_RUN_OR_OTHER = re.compile(f"([{_HAN}]+)|([^{_HAN}])")


def prepare_jieba(cache_file: Path) -> None:
    """Point jieba's dictionary cache at a file this install owns (it writes one on first use)."""
    import jieba

    jieba.setLogLevel(60)  # its progress lines are not log events
    jieba.dt.cache_file = str(cache_file)
    jieba.dt.tmp_dir = str(cache_file.parent)


def read_mandarin(text: str, standard: str) -> list[WordReading]:
    """The words of ``text`` and their readings under ``standard`` ("taiwan" or "mainland")."""
    if standard not in STANDARDS:
        raise ValueError(f"standard must be one of {STANDARDS}, not {standard!r}")
    simplified = to_simplified(text)
    words: list[WordReading] = []
    for match in _HAN_RUN_OR_OTHER.finditer(simplified):
        if match.group(1):
            words.extend(_read_run(text, simplified, match.start(), match.end(), standard))
        else:
            at = match.start()
            words.append(WordReading(text[at], at, at + 1, (), "other"))
    return _apply_rules(words, simplified)


def _read_run(text: str, simplified: str, start: int, end: int, standard: str) -> list[WordReading]:
    import jieba

    words = []
    at = start
    for piece in jieba.lcut(simplified[start:end]):
        word = _read_word(
            WordReading(text[at : at + len(piece)], at, at + len(piece), (), "g2p"), piece, standard
        )
        words.extend(_split_unreadable(word))
        at += len(piece)
    return words


def _split_unreadable(word: WordReading) -> list[WordReading]:
    """A character pypinyin has no reading for (𠮷) becomes a span of its own with none."""
    if all(_SYLLABLE.fullmatch(syllable) for syllable in word.syllables):
        return [word]
    return [
        WordReading(char, at, at + 1, (syllable,), word.source)
        if _SYLLABLE.fullmatch(syllable)
        else WordReading(char, at, at + 1, (), "other")
        for at, (char, syllable) in enumerate(
            zip(word.text, word.syllables, strict=True), word.start
        )
    ]


def _read_word(word: WordReading, simplified: str, standard: str) -> WordReading:
    syllables = pypinyin_reading(simplified)
    if len(syllables) != len(simplified):  # never for Han text; keep one syllable a character
        syllables = tuple(pypinyin_reading(char)[0] for char in simplified)
    g2p = WordReading(word.text, word.start, word.end, syllables, "g2p")
    return _taiwan(g2p) if standard == "taiwan" else g2p


def _taiwan(word: WordReading) -> WordReading:
    syllables = _taiwan_syllables(word.text, word.syllables)
    if syllables is None:
        return word
    return WordReading(word.text, word.start, word.end, syllables, "taiwan")


@functools.lru_cache(maxsize=65536)
def _taiwan_syllables(text: str, g2p: tuple[str, ...]) -> tuple[str, ...] | None:
    """The Taiwan reading of a jieba word, or None where it is pypinyin's (cached: words repeat)."""
    found = taiwan_reading(text)
    if found is not None:
        return found[0]
    if len(text) > 2 and text[0] in _GLUED_ADVERBS and (found := taiwan_reading(text[1:])):
        return (g2p[0], *found[0])  # jieba glues an adverb to a word: 别着急
    if len(text) > 1 and is_headword(text):
        return None  # the dictionary reads this word as pypinyin does: no character overrides
    # Only characters from here: a lexicon word found inside a longer jieba word is as often a
    # false boundary (行員 in 飛行員, 大都 in 大都市, 任人 in 責任人) as a stem, so none is used.
    written = to_traditional(text)  # the lexicon's script, whichever the user wrote in
    syllables = tuple(
        taiwan_char_reading(char, syllable) or syllable
        for char, syllable in zip(written, g2p, strict=True)
    )
    return syllables if syllables != g2p else None


def _apply_rules(words: list[WordReading], simplified: str) -> list[WordReading]:
    word_at = {at: word for word in words for at in range(word.start, word.end)}
    decided: dict[int, str] = {}
    for at, syllable, rule in rule_readings(simplified):
        word = word_at[at]
        # A rule sees the context a lexicon entry does not (有多重 is weight, not 多重 multiple),
        # so it may override a Taiwan reading too.
        if word.source == "other" or (
            rule.alone and not _read_by_characters(simplified[word.start : word.end])
        ):
            continue
        if rule.leading and at != word.start:
            continue
        decided.setdefault(at, syllable)
    if not decided:
        return words
    return [_with_decided(word, decided) for word in words]


def _read_by_characters(simplified_word: str) -> bool:
    """Whether a word was read character by character: a single character, or a word jieba made
    up (考得, 跑得: in neither jieba's dictionary nor pypinyin's phrases). A listed word (彼得,
    求得, 算不得) keeps its dictionary reading."""
    import jieba

    return len(simplified_word) == 1 or not (
        jieba.dt.FREQ.get(simplified_word) or pypinyin_knows(simplified_word)
    )


def _with_decided(word: WordReading, decided: dict[int, str]) -> WordReading:
    syllables = tuple(
        decided.get(at, syllable) for at, syllable in enumerate(word.syllables, word.start)
    )
    if syllables == word.syllables:
        return word
    return WordReading(word.text, word.start, word.end, syllables, "rule")
