"""A job's opening turn, said in pieces side by side, so that its first audio comes sooner.

Time to first audio is the opening turn's synthesis: one single-threaded engine process
speaking the whole turn (a podcast's first line of 7.4 s: 4.5 s of Kokoro on this machine,
quiet) while the other processes already work on later turns. A long opening turn is cut
instead into one piece per engine process, of about equal length, where a sentence ends or
else where a clause does (``contracts.sentences``), never inside a clause. Each piece is its
own engine call holding its own slot of the job's turn-order gate: they come before every
later turn, so they run side by side. The pieces are joined with the pause Kokoro itself puts
between two of its batches ending so (a sentence's or a clause's), their word timing moved to
where they land.

Only the opening turn: the job's later turns already run side by side with each other. A
piece changes the sound a little (the model sees one piece, not the whole turn), so a split
turn has a segment of its own (``SegmentIdentity.pieces``) and a replay splits it the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ttsjobs.contracts.sentences import split_sentences, spoken_length
from ttsjobs_synthesis.audio import speech_loudness
from ttsjobs_synthesis.providers.base import Speech, TimedSpan, Timing

# Shorter than this (spoken length: a Han character counts four) the turn is one model pass
# of a second or two: cutting it would save less than the join and a second call cost.
MIN_SPLIT_LENGTH = 120
# Kokoro's own pauses where it joins two of its batches (kokoro-onnx's pause_after): after a
# sentence, after a clause. A piece ends at one or the other, never inside a clause.
SENTENCE_PAUSE_MS, CLAUSE_PAUSE_MS = 250, 100
SENTENCE_ENDS = "。！？!?.…"
CLAUSE_ENDS = "，、,；;：:"
CLOSERS = "」』”’）)】》\"'"

Span = tuple[int, int]  # code points [start, end) of the turn's text


def opening_pieces(text: str, parallel: int) -> list[Span]:
    """Where to cut the opening turn: at most ``parallel`` spans that cover ``text`` in
    order, of about equal spoken length, cut only where a sentence or a clause ends (a long
    first sentence is cut at a comma); one span when cutting would not pay."""
    whole = [(0, len(text))]
    total = spoken_length(text)
    if parallel < 2 or total < MIN_SPLIT_LENGTH:
        return whole
    # Sentences, and a sentence longer than a share cut at its clauses (split_sentences cuts
    # near the bound at a comma if it can, else at a word: those cuts are not taken).
    ends: list[tuple[int, int]] = []  # each place to cut: its code point, spoken length before
    at = said = 0
    for piece in split_sentences(text, max_chars=max(2, -(-total // parallel))):
        at += len(piece.text)
        said += spoken_length(piece.text)
        if at < len(text) and _pause_after(piece.text) is not None:
            ends.append((at, said))
    count = min(parallel, len(ends) + 1)
    if count < 2:
        return whole
    cuts: list[int] = []  # indices into ends
    for n in range(1, count):
        # The end nearest the n-th share, after the last cut and leaving one for each cut left.
        first = cuts[-1] + 1 if cuts else 0
        last = len(ends) - (count - 1 - n)
        cuts.append(min(range(first, last), key=lambda i: abs(ends[i][1] - total * n / count)))
    bounds = [0, *(ends[i][0] for i in cuts), len(text)]
    return list(itertools.pairwise(bounds))


def _pause_after(piece: str) -> int | None:
    """The pause Kokoro makes after a batch ending as this piece ends; None: no place to cut."""
    last = piece.rstrip().rstrip(CLOSERS)[-1:]  # 「…。」 ends as its 。 does
    if last and last in SENTENCE_ENDS:
        return SENTENCE_PAUSE_MS
    if last and last in CLAUSE_ENDS:
        return CLAUSE_PAUSE_MS
    return None


def joined(pieces: Sequence[Speech], spans: Sequence[Span], text: str) -> Speech:
    """The pieces as one turn: between two, the pause Kokoro would make there; each piece's
    word and character times moved to where it now starts (in time and in the turn's text)."""
    rate = pieces[0].sample_rate
    if any(p.sample_rate != rate for p in pieces):
        raise ValueError("the pieces of a turn come from one voice, at one rate")
    parts: list[np.ndarray] = []
    words: list[TimedSpan] = []
    characters: list[TimedSpan] = []
    timed = all(p.timing is not None for p in pieces)
    at_samples = 0
    for n, (piece, (char_start, _)) in enumerate(zip(pieces, spans, strict=True)):
        if n:
            pause_ms = _pause_after(text[spans[n - 1][0] : char_start]) or 0
            gap = np.zeros(rate * pause_ms // 1000, dtype=np.int16)
            parts.append(gap)
            at_samples += len(gap)
        parts.append(piece.samples)
        if timed and piece.timing is not None:
            at_ms = round(at_samples * 1000 / rate)
            words += [_moved(w, at_ms, char_start) for w in piece.timing.words]
            characters += [_moved(c, at_ms, char_start) for c in piece.timing.characters]
        at_samples += len(piece.samples)
    engine_ms = [p.synthesis_ms for p in pieces]
    speech = Speech(
        np.concatenate(parts),
        rate,
        # What the ETA learns from: engine time per audio, summed as if said in one call.
        synthesis_ms=None if None in engine_ms else sum(ms for ms in engine_ms if ms is not None),
        timing=Timing(tuple(words), tuple(characters)) if timed else None,
    )
    return replace(speech, loudness_lufs=speech_loudness(speech))


def _moved(span: TimedSpan, by_ms: int, by_chars: int) -> TimedSpan:
    return replace(
        span,
        start_ms=span.start_ms + by_ms,
        end_ms=span.end_ms + by_ms,
        char_start=span.char_start + by_chars,
        char_end=span.char_end + by_chars,
    )
