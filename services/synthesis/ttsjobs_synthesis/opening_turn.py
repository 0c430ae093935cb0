"""A job's opening turn, said in pieces side by side, so that its first audio comes sooner.

Time to first audio is the opening turn's synthesis: one single-threaded engine process
speaking the whole turn (a podcast's first line of 13 s: 3-4 s of Kokoro on a quiet machine)
while the other processes already work on later turns. An opening turn of several sentences is
cut instead at its sentence ends (``contracts.sentences``) into one piece per engine process,
the pieces of about equal length, each its own engine call holding its own slot of the job's
turn-order gate: they come before every later turn, so they run side by side. The pieces are
joined with the pause Kokoro itself puts between two of its batches (a sentence's), their
word timing moved to where they land.

Only the opening turn: the job's later turns already run side by side with each other. A
piece changes the sound a little (the model sees one sentence, not two), so a split turn has a
segment of its own (``SegmentIdentity.pieces``) and a replay splits it the same way.
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
PIECE_PAUSE_MS = 250  # Kokoro's pause after a sentence between two batches (SENTENCE_PAUSE)

Span = tuple[int, int]  # code points [start, end) of the turn's text


def opening_pieces(text: str, parallel: int) -> list[Span]:
    """Where to cut the opening turn: at most ``parallel`` spans that cover ``text`` in
    order, cut only at sentence ends, of about equal spoken length; one span when cutting
    would not pay."""
    whole = [(0, len(text))]
    if parallel < 2 or spoken_length(text) < MIN_SPLIT_LENGTH:
        return whole
    sentences = split_sentences(text, max_chars=len(text) * 4 + 2)  # sentences only, never cut
    if len(sentences) < 2:
        return whole
    count = min(parallel, len(sentences))
    # Each sentence end as a place to cut: its code point, and the spoken length before it.
    ends: list[tuple[int, int]] = []
    at = said = 0
    for sentence in sentences[:-1]:
        at += len(sentence.text)
        said += spoken_length(sentence.text)
        ends.append((at, said))
    total = said + spoken_length(sentences[-1].text)
    cuts: list[int] = []  # indices into ends
    for n in range(1, count):
        # The end nearest the n-th share, after the last cut and leaving one for each cut left.
        first = cuts[-1] + 1 if cuts else 0
        last = len(ends) - (count - 1 - n)
        cuts.append(min(range(first, last), key=lambda i: abs(ends[i][1] - total * n / count)))
    bounds = [0, *(ends[i][0] for i in cuts), len(text)]
    return list(itertools.pairwise(bounds))


def joined(pieces: Sequence[Speech], spans: Sequence[Span]) -> Speech:
    """The pieces as one turn: a sentence's pause between two, each piece's word and character
    times moved to where it now starts (in time and in the turn's text)."""
    rate = pieces[0].sample_rate
    if any(p.sample_rate != rate for p in pieces):
        raise ValueError("the pieces of a turn come from one voice, at one rate")
    gap = np.zeros(rate * PIECE_PAUSE_MS // 1000, dtype=np.int16)
    parts: list[np.ndarray] = []
    words: list[TimedSpan] = []
    characters: list[TimedSpan] = []
    timed = all(p.timing is not None for p in pieces)
    at_samples = 0
    for n, (piece, (char_start, _)) in enumerate(zip(pieces, spans, strict=True)):
        if n:
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
