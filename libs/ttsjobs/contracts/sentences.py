"""Split long single-voice text into pieces an engine can take: sentences, cut further if long.

Pure and lossless: ``"".join(p.text for p in split_sentences(text))`` is ``text`` (whitespace
after a sentence stays with it), so a single_tts job's original text is always the join of its
turns, and nothing of what the user sent has to be stored twice.

Rules:
- CJK terminators (。！？；and !?; after Han text) end a sentence at once, with the closing
  quotes and brackets that follow them (」』”）...).
- Latin terminators (. ! ? ;) end a sentence only when whitespace or the end of the text follows
  them (after closing quotes/brackets): so 3.14, 1,000.5, example.com and U.S.A stay whole.
- A period is no end when the next word starts lowercase ("etc. and", "Well... maybe"), after
  a title (Dr. Mr. Mrs. Ms. Prof. St. Jr. Sr. vs.), after e.g./i.e., or after an initial (J. K.).
- A blank line ends a paragraph (a heading without punctuation is its own piece).
- A piece longer than ``max_chars`` is cut near the bound: after a comma-like mark, else at a
  space, else (Chinese without spaces) where a word ends (jieba, see han_words), else at the
  bound itself, never between two digits.
- Lengths are spoken lengths (``spoken_length``): a Han character, kana or Hangul syllable
  counts as four, so 300 means about 75 Han characters. A Han character takes about three
  times as long to say as a Latin letter, and 300 unpunctuated Han characters were 50 s of
  audio in one turn, over a minute of Kokoro under load; 75 are about 13 s, one model pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ttsjobs.contracts import han_words


class PieceEnd(StrEnum):
    sentence = "sentence"
    paragraph = "paragraph"  # a blank line follows: a longer pause sounds natural
    cut = "cut"  # cut mid-sentence at the length bound: no pause, or it would sound broken


@dataclass(frozen=True)
class Piece:
    text: str
    end: PieceEnd


CJK_TERMINATORS = "。！？；!?;"
LATIN_TERMINATORS = ".!?;…"
CLOSERS = "\"'”’」』）)]】》〉』»"
SOFT_BREAKS = "，、,：:—–"
TITLES = frozenset(
    {"dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "vs", "mt", "no", "fig", "e.g", "i.e"}
)

_CJK = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
# A character that is a syllable on its own: Han (with its extensions and compatibility
# ideographs), kana and Hangul syllables. CJK punctuation and full-width forms are not.
_SYLLABIC = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
SYLLABLE_WEIGHT = 4


def spoken_length(text: str) -> int:
    """How long ``text`` is to say, in Latin letters: a Han character, kana or Hangul
    syllable counts as ``SYLLABLE_WEIGHT``. Pieces are bounded in it, and synthesis gives a
    turn time in proportion to it."""
    return len(text) + (SYLLABLE_WEIGHT - 1) * len(_SYLLABIC.findall(text))


def _is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))


def _skip(text: str, i: int, chars: str) -> int:
    while i < len(text) and text[i] in chars:
        i += 1
    return i


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _period_continues(text: str, start: int, after: int) -> bool:
    """A Latin period at ``start`` that does not end the sentence (``after``: the next word)."""
    if text[start] not in ".…":
        return False  # "; a" and "? a" end a piece whatever follows
    if after < len(text) and text[after].islower():
        return True  # "etc. and", "Well... maybe", "approx. five"
    if text[start] != ".":
        return False
    word = _WORD_BEFORE.search(text[max(0, start - 16) : start])  # a window: linear in all
    if word is None:
        return False
    token = word.group(1).lower()
    if token in TITLES:
        return True
    # An initial ("J. K. Rowling"); a sentence ending in a one-letter word is rarer.
    return len(token) == 1 and token.isalpha() and word.group(1).isupper()


def _sentence_end(text: str, i: int) -> int | None:
    """Where the sentence ends if the character at ``i`` ends one (past closers and spaces)."""
    char = text[i]
    if char in "。！？；" or (char in CJK_TERMINATORS and i > 0 and _is_cjk(text[i - 1])):
        end = _skip(text, _skip(text, i + 1, CJK_TERMINATORS), CLOSERS)
        return _skip_space(text, end)
    if char not in LATIN_TERMINATORS:
        return None
    marks_end = _skip(text, i, LATIN_TERMINATORS)
    end = _skip(text, marks_end, CLOSERS)
    if end < len(text) and not text[end].isspace() and not _is_cjk(text[end]):
        return None  # 3.14, example.com, U.S.A, "?!" inside a word
    after = _skip_space(text, end)
    if _period_continues(text, i, after):
        return None
    if end > marks_end and after < len(text) and text[after].islower():
        return None  # a quoted exclamation goes on: He said "Stop!" and left.
    return after


def _sentences(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    start = i = 0
    while i < len(text):
        end = _sentence_end(text, i)
        if end is None and text.startswith("\n", i):
            after = _skip_space(text, i)
            if text.count("\n", i, after) >= 2 and text[start:i].strip():
                end = after  # a blank line: a paragraph (or a heading) ends here
        if end is None or end <= i:
            i += 1
            continue
        kind = PieceEnd.paragraph if text.count("\n", i, end) >= 2 else PieceEnd.sentence
        pieces.append(Piece(text[start:end], kind))
        start = i = end
    if start < len(text):
        if text[start:].strip() or not pieces:
            pieces.append(Piece(text[start:], PieceEnd.sentence))
        else:  # trailing whitespace stays with the last sentence
            pieces[-1] = Piece(pieces[-1].text + text[start:], pieces[-1].end)
    return pieces


def _fitting(text: str, start: int, max_chars: int) -> int:
    """The end of the longest run of ``text`` from ``start`` whose spoken length is at most
    ``max_chars`` (at least one character); ``len(text)`` if the rest fits."""
    size = 0
    for i in range(start, len(text)):
        size += SYLLABLE_WEIGHT if _SYLLABIC.match(text, i) else 1
        if size > max_chars:
            return max(i, start + 1)
    return len(text)


def _word_ends_near(text: str, start: int, limit: int) -> list[int]:
    """Where jieba ends words in ``text[start:limit]``, as offsets in ``text``.

    jieba reads only this window and a few characters past it, never the whole piece: on one
    unbroken run of Han characters its cost grows faster than the run (30,000 characters took
    seven times as long as 10,000), and a piece may be a whole 100,000-character text. ``start``
    is where the piece began or was last cut, so a word ends there already; the characters
    past ``limit`` let jieba see the word that straddles the bound."""
    window = text[start : limit + _WORD_LOOKAHEAD]
    return [start + end for end in han_words.word_ends(window) if start + end <= limit]


_WORD_LOOKAHEAD = 16  # longer than any word in jieba's dictionary that matters here


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to cut ``text[start:]`` (longer than ``limit``): near the bound, at a natural
    place."""
    half = start + (limit - start) // 2
    window = text[half:limit]
    for marks in (SOFT_BREAKS, " \t\n\u3000"):
        best = max((window.rfind(m) for m in marks), default=-1)
        if best >= 0:
            cut = half + best + 1
            if text[cut - 1] == "," and cut < len(text) and text[cut].isdigit():
                continue  # 1,000: not a place to cut
            return _skip_space(text, cut) if _skip_space(text, cut) <= limit else cut
    if _HAN.search(text, half, limit + 1):
        ends = _word_ends_near(text, start, limit)
        if ends and ends[-1] > half:
            return ends[-1]  # no word is split, so none is read wrongly
    cut = limit
    while cut > half and text[cut - 1].isdigit() and text[cut].isdigit():
        cut -= 1
    return max(cut, start + 1)  # a piece is never empty


def _bounded(piece: Piece, max_chars: int) -> list[Piece]:
    text = piece.text
    parts: list[Piece] = []
    start, remaining = 0, spoken_length(text)
    while remaining > max_chars:
        # Even pieces, as few as the bound allows: filling each to the bound would leave a
        # short remainder ("上班" alone), read at another pace and loudness than the rest.
        count = -(-remaining // max_chars)
        limit = _fitting(text, start, -(-remaining // count))
        cut = _cut_point(text, start, limit)
        parts.append(Piece(text[start:cut], PieceEnd.cut))
        remaining -= spoken_length(parts[-1].text)
        start = cut
    rest = text[start:]
    if rest.strip() or not parts:
        parts.append(Piece(rest, piece.end))
    else:
        parts[-1] = Piece(parts[-1].text + rest, piece.end)
    return parts


def _says_something(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _merged(pieces: list[Piece]) -> list[Piece]:
    """A piece with no letter or digit ("...", a lone "！") joins the one before it: an
    engine has nothing to say for it, and some make no audio at all."""
    merged: list[Piece] = []
    for piece in pieces:
        if merged and (not _says_something(piece.text) or not _says_something(merged[-1].text)):
            merged[-1] = Piece(merged[-1].text + piece.text, piece.end)
        else:
            merged.append(piece)
    return merged


def split_sentences(text: str, *, max_chars: int = 300) -> list[Piece]:
    """The pieces of ``text``, in order; each at most ``max_chars`` in spoken length (plus
    whitespace that follows it, or punctuation with nothing to say) and each with something
    to say."""
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    return _merged([part for piece in _sentences(text) for part in _bounded(piece, max_chars)])


def packed(pieces: list[Piece], *, max_pieces: int, max_chars: int) -> list[Piece]:
    """At most ``max_pieces``: neighbours read together when a text has too many sentences.

    Every piece is a turn, and a job's events list its turns: 100,000 characters of "是。" would
    be 50,000 turns and events far over NATS' 1 MB. A text within the bound is left as it is
    (a caption cue per sentence); one beyond it has neighbours joined greedily up to a size
    that brings it within, each piece still at most ``max_chars`` (spoken lengths throughout):
    greedy packing to a size c leaves at most 2 * total / c + 1 pieces, as two neighbours
    together always exceed c.
    """
    if len(pieces) <= max_pieces:
        return pieces
    lengths = [spoken_length(p.text) for p in pieces]
    size = min(max_chars, -(-2 * sum(lengths) // max(max_pieces - 1, 1)))
    out: list[Piece] = []
    last = 0  # the spoken length of out[-1]
    for piece, length in zip(pieces, lengths, strict=True):
        if out and last + length <= size:
            out[-1] = Piece(out[-1].text + piece.text, piece.end)
            last += length
        else:
            out.append(piece)
            last = length
    return out
