"""A turn's text cut into pieces, each with what is to be said for it: the text itself, text
that a normaliser or a lexicon alias says instead, or a reading (a lexicon phoneme).

The first to claim a stretch of text wins: the turn's own markup for that one place (``spoken_as``:
an alias, a phoneme, a say-as), then the user's lexicon entries (in the order the job named the
lexicons), then the built-in list of Latin words (Mandarin voices only), then the language's
normaliser. Every piece keeps its place in the original, so captions, the preview and word
timing can point back at what the user wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ttsjobs.contracts.lexicon import Alphabet, UsedEntry
from ttsjobs.contracts.turn_markup import SpokenAs
from ttsjobs.lexicons.matching import EntryMatcher
from ttsjobs_synthesis.prepare_text.say_as import said_as
from ttsjobs_synthesis.prepare_text.spans import Rewrite, apply_rewrites

Normaliser = Callable[[str], list[Rewrite]]


@dataclass(frozen=True)
class Piece:
    start: int  # where it is in the turn's text
    end: int
    said: str | None  # the text to say, or None: say `phoneme`
    # "text", "normalised", "latin", "lexicon:<name>", or the turn's markup: "alias", "phoneme",
    # "say-as"
    source: str = "text"
    phoneme: str | None = None
    alphabet: Alphabet | None = None


def _entry_piece(start: int, end: int, entry: UsedEntry, source: str) -> Piece:
    if entry.alias is not None:  # alias wins over phoneme
        return Piece(start, end, entry.alias, source)
    return Piece(start, end, None, source, entry.phoneme, entry.alphabet)


def _span_piece(text: str, span: SpokenAs, language: str) -> Piece:
    if span.alias is not None:
        return Piece(span.char_start, span.char_end, span.alias, "alias")
    if span.phoneme is not None:
        return Piece(span.char_start, span.char_end, None, "phoneme", span.phoneme, span.alphabet)
    assert span.interpret_as is not None
    written = text[span.char_start : span.char_end]
    said = said_as(written, span.interpret_as, span.format, language)
    return Piece(span.char_start, span.char_end, said, "say-as")


def pieces(
    text: str,
    entries: Sequence[UsedEntry],
    *,
    normalise: Normaliser | None = None,
    builtin: EntryMatcher | None = None,
    spoken: Sequence[SpokenAs] = (),
    language: str = "",
) -> list[Piece]:
    """``text`` as pieces that cover it exactly, in order. ``spoken`` are the turn's own spans
    (code points into ``text``); ``language`` is what a say-as among them is said in."""
    claimed = [_span_piece(text, s, language) for s in spoken if s.char_end <= len(text)]
    lexicon = EntryMatcher(entries)
    if claimed:
        claimed += _between(text, claimed, lexicon, None)
        claimed.sort(key=lambda p: p.start)
    else:
        claimed = [
            _entry_piece(m.start, m.end, m.entry, f"lexicon:{m.entry.lexicon}")
            for m in lexicon.matches(text)
        ]
    for finder, source in ((builtin, "latin"), (normalise, "normalised")):
        if finder is None:
            continue
        found = _between(text, claimed, finder, source)
        claimed = sorted(claimed + found, key=lambda p: p.start)
    out: list[Piece] = []
    at = 0
    for piece in claimed:
        if piece.start > at:
            out.append(Piece(at, piece.start, text[at : piece.start]))
        out.append(piece)
        at = piece.end
    if at < len(text):
        out.append(Piece(at, len(text), text[at:]))
    return out


def _between(
    text: str, claimed: list[Piece], finder: EntryMatcher | Normaliser, source: str | None
) -> list[Piece]:
    """What ``finder`` claims in the stretches nobody has claimed yet (``source`` None: each
    lexicon entry's own)."""
    found: list[Piece] = []
    at = 0
    for start, end in [*((p.start, p.end) for p in claimed), (len(text), len(text))]:
        if start > at:
            gap = text[at:start]
            if isinstance(finder, EntryMatcher):
                found += [
                    _entry_piece(
                        at + m.start, at + m.end, m.entry, source or f"lexicon:{m.entry.lexicon}"
                    )
                    for m in finder.matches(gap)
                ]
            else:
                assert source is not None
                found += [
                    Piece(at + r.start, at + r.end, r.said, source)
                    for r in finder(gap)
                    if r.end > r.start
                ]
        at = max(at, end)
    return found


def said_text(piece: Piece, normalise: Normaliser | None) -> str:
    """The text a said piece speaks. An alias is normalised too ("Windows 11" -> eleven)."""
    assert piece.said is not None
    if normalise is not None and (piece.source.startswith("lexicon:") or piece.source == "alias"):
        return apply_rewrites(piece.said, normalise(piece.said))
    return piece.said


def builtin_matcher(words: dict[str, str], lexicon: str = "built-in") -> EntryMatcher:
    return EntryMatcher(
        UsedEntry(lexicon=lexicon, grapheme=written, alias=said) for written, said in words.items()
    )
