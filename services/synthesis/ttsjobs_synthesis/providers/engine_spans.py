"""Word timing for engines that read text and say where each word starts in it (espeak's word
events, piper's words by phoneme alignment): the text the engine reads, with a map from its
characters back to the user's, and the words' times turned into ``Timing``.

The map keeps the pieces of the prepare-text stage (plan.py): a stretch said as written maps
character by character; a stretch a normaliser or a lexicon rewrote ("40–60°C" read as "forty to
sixty degrees Celsius") maps as a whole, so every word said for it times the original stretch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ttsjobs_synthesis.prepare_text.engine_text import PhonemesRefused, normaliser_for, planned
from ttsjobs_synthesis.prepare_text.plan import Piece, said_text
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers.base import TimedSpan, Timing

# Quieter than this (int16, about -50 dBFS) is silence; a word's sound fades over a few ms more.
_SILENCE = 100
_TAIL_MS = 20


@dataclass(frozen=True)
class _Stretch:
    engine_start: int
    engine_end: int
    start: int  # in the user's text
    end: int
    as_written: bool  # maps character by character


@dataclass(frozen=True)
class EngineText:
    """What the engine reads, and where each of its characters came from in ``original``."""

    original: str
    text: str
    stretches: tuple[_Stretch, ...]

    def source(self, start: int, end: int) -> tuple[int, int]:
        """The user's characters that the engine's ``text[start:end]`` says."""
        first, last = self._at(start), self._at(max(start, end - 1))
        begin = first.start + (start - first.engine_start) if first.as_written else first.start
        if last.as_written:
            finish = last.start + (max(start, end - 1) - last.engine_start) + 1
        else:
            finish = last.end
        return begin, max(begin, finish)

    def _at(self, position: int) -> _Stretch:
        for stretch in self.stretches:
            if position < stretch.engine_end:
                return stretch
        return self.stretches[-1]


def engine_text_mapped(
    text: str,
    language: str,
    pronunciation: Pronunciation,
    *,
    phoneme: Callable[[Piece], str] | None = None,
    escape: Callable[[str], str] = lambda said: said,
    engine: str = "this engine",
) -> EngineText:
    """engine_text.engine_text with its map; ``escape`` changes said text the engine would
    misread (espeak's ``[[``), which makes that piece map as a whole."""
    normalise = normaliser_for(language)
    out: list[str] = []
    stretches: list[_Stretch] = []
    at = 0
    for piece in planned(text, language, pronunciation):
        if piece.said is not None:
            said = escape(said_text(piece, normalise))
            as_written = said == text[piece.start : piece.end]
        elif phoneme is None and piece.source == "phoneme":
            # A turn's own phonemes on an engine that takes none: its text is said as written
            # (the job's warnings say so), where a lexicon's would have been refused at submit.
            said = escape(text[piece.start : piece.end])
            as_written = said == text[piece.start : piece.end]
        elif phoneme is None:
            written = text[piece.start : piece.end]
            raise PhonemesRefused(f"{engine} takes no phonemes ({piece.source}: {written!r})")
        else:
            said, as_written = phoneme(piece), False
        if not said:
            continue
        stretches.append(_Stretch(at, at + len(said), piece.start, piece.end, as_written))
        out.append(said)
        at += len(said)
    return EngineText(text, "".join(out), tuple(stretches))


def spoken(char: str) -> bool:
    """Not a space, punctuation or a control: something a word is made of."""
    return not (char.isspace() or unicodedata.category(char)[0] in "PC")


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without the spaces and punctuation around it."""
    while start < end and not spoken(text[start]):
        start += 1
    while end > start and not spoken(text[end - 1]):
        end -= 1
    return start, end


@dataclass(frozen=True)
class WordStart:
    position: int  # where the word starts in the engine's text
    ms: int  # when it starts in the audio


@dataclass(frozen=True)
class EngineWord:
    start: int  # in the engine's text
    end: int
    start_ms: int
    end_ms: int


def timing_of_words(
    mapped: EngineText, words: Sequence[EngineWord], samples: np.ndarray, rate: int
) -> Timing:
    """The engine's words in the user's text (``placed``), each starting and ending where its
    sound does, and their characters."""
    placed_words = at_sound(placed(mapped, words), samples, rate)
    return Timing(placed_words, characters_of(mapped.original, placed_words))


def words_from_starts(
    text: str, starts: Sequence[WordStart], breaks: Sequence[WordStart], end_ms: int
) -> list[EngineWord]:
    """Each word runs to the next word's start or the next break (a clause's end), whichever
    comes first in the text; the last runs to ``end_ms``."""
    # A break at a word's position ends the clause before it: breaks sort first.
    marks = sorted([*((s, True) for s in starts), *((b, False) for b in breaks)],
                   key=lambda m: (m[0].position, m[1]))  # fmt: skip
    words: list[EngineWord] = []
    for i, (mark, is_word) in enumerate(marks):
        if not is_word:
            continue
        after = marks[i + 1][0] if i + 1 < len(marks) else None
        stop = after.position if after is not None else len(text)
        finish_ms = after.ms if after is not None else end_ms
        words.append(EngineWord(mark.position, stop, mark.ms, max(finish_ms, mark.ms)))
    return words


def placed(mapped: EngineText, words: Sequence[EngineWord]) -> tuple[TimedSpan, ...]:
    """The words without the spaces and punctuation around them, in the user's text; words
    said for one rewritten stretch become one word over that stretch."""
    out: list[TimedSpan] = []
    if not mapped.stretches:
        return ()
    for word in words:
        start, stop = _core(mapped.text, word.start, word.end)
        if start >= stop:
            continue
        char_start, char_end = mapped.source(start, stop)
        if out and char_start < out[-1].char_end:  # the same rewritten stretch
            last = out[-1]
            char_start, char_end = last.char_start, max(last.char_end, char_end)
            end_ms = max(last.end_ms, word.end_ms)
            out[-1] = _span(mapped.original, last.start_ms, end_ms, char_start, char_end)
            continue
        out.append(_span(mapped.original, word.start_ms, word.end_ms, char_start, char_end))
    return tuple(out)


def at_sound(words: Sequence[TimedSpan], samples: np.ndarray, rate: int) -> tuple[TimedSpan, ...]:
    """Each word without the silence at its ends: an engine's word runs until the next one
    starts, so a word before a pause would hold the pause too, and its highlight linger."""
    loud = np.abs(samples.astype(np.int32)) > _SILENCE
    out = []
    for word in words:
        first, last = word.start_ms * rate // 1000, word.end_ms * rate // 1000
        heard = np.flatnonzero(loud[first:last])
        if len(heard):
            start_ms = max(word.start_ms, (first + int(heard[0])) * 1000 // rate - _TAIL_MS)
            end_ms = (first + int(heard[-1]) + 1) * 1000 // rate + _TAIL_MS
            end_ms = max(start_ms + 1, min(word.end_ms, end_ms))
            word = replace(word, start_ms=start_ms, end_ms=end_ms)
        out.append(word)
    return tuple(out)


def _span(text: str, start_ms: int, end_ms: int, char_start: int, char_end: int) -> TimedSpan:
    return TimedSpan(text[char_start:char_end], start_ms, end_ms, char_start, char_end)


def characters_of(text: str, words: Sequence[TimedSpan]) -> tuple[TimedSpan, ...]:
    """Each character of each word but spaces, the word's time shared equally among them: these
    engines time words, not characters, and a CJK word's characters are a syllable each."""
    out: list[TimedSpan] = []
    for word in words:
        said = [i for i in range(word.char_start, word.char_end) if not text[i].isspace()]
        length = word.end_ms - word.start_ms
        for n, i in enumerate(said):
            start = word.start_ms + length * n // len(said)
            end = word.start_ms + length * (n + 1) // len(said)
            out.append(TimedSpan(text[i], start, end, i, i + 1))
    return tuple(out)
