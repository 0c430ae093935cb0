"""The values the prepare-text steps hand each other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rewrite:
    """Say ``said`` for ``text[start:end]``: what a normaliser or an alias does to the text."""

    start: int
    end: int
    said: str


def apply_rewrites(text: str, rewrites: Iterable[Rewrite]) -> str:
    """``text`` with each rewrite's span replaced; rewrites must not overlap."""
    out, at = [], 0
    for rewrite in sorted(rewrites, key=lambda r: r.start):
        if rewrite.start < at:
            raise ValueError(f"overlapping rewrites at {rewrite.start}")
        out.append(text[at : rewrite.start])
        out.append(rewrite.said)
        at = rewrite.end
    out.append(text[at:])
    return "".join(out)


@dataclass(frozen=True)
class WordReading:
    """A word of Mandarin text and how it is read: one pinyin syllable per Han character, tone
    numbers with neutral 5 (``le4``), empty for punctuation. ``source`` says where the reading
    came from: ``g2p`` (pypinyin's default), ``taiwan`` (the Taiwan readings lexicon),
    ``rule`` (a polyphone context rule), ``lexicon:<name>``, ``normalised``, ``latin``."""

    text: str
    start: int
    end: int
    syllables: tuple[str, ...]
    source: str
