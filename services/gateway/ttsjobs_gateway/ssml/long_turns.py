"""An SSML turn longer than a turn may be, cut at its sentences (``contracts.sentences``, as a
single_tts text is): an article in one ``<speak>`` with no ``<p>`` or ``<s>`` is a job like any
other, not a 422. The cut is lossless, never inside a ``<sub>``, ``<phoneme>`` or ``<say-as>``
span, and each span and mark moves into its piece, counted from the piece's start.
"""

from __future__ import annotations

from typing import Any

from ttsjobs.contracts.job_request import RequestLimits
from ttsjobs.contracts.sentences import split_sentences
from ttsjobs.contracts.single import SENTENCE_PAUSE_MS


def within_turn_length(turns: list[dict[str, Any]], limits: RequestLimits) -> list[dict[str, Any]]:
    """``turns``, each longer than ``limits.max_chars_per_turn`` cut into pieces that fit."""
    out: list[dict[str, Any]] = []
    for turn in turns:
        if len(turn["text"]) <= limits.max_chars_per_turn:
            out.append(turn)
        else:
            out += _cut(turn, limits)
    return out


def _cut(turn: dict[str, Any], limits: RequestLimits) -> list[dict[str, Any]]:
    text = turn["text"]
    spans = turn.get("spoken_as", [])
    ends: list[int] = []
    at = 0
    for sentence in split_sentences(text, max_chars=limits.max_sentence_chars):
        at += len(sentence.text)
        if not any(s["char_start"] < at < s["char_end"] for s in spans):  # never inside a span
            ends.append(at)
    bounds = _packed(ends, limits.max_chars_per_turn)
    pieces: list[dict[str, Any]] = []
    for start, end in zip([0, *bounds[:-1]], bounds, strict=True):
        last = end == len(text)
        piece = {k: v for k, v in turn.items() if k not in ("text", "spoken_as", "marks")}
        piece["text"] = text[start:end]
        if not last:
            piece["pause_after_ms"] = SENTENCE_PAUSE_MS  # as between a single_tts's sentences
        inside = [
            {**s, "char_start": s["char_start"] - start, "char_end": s["char_end"] - start}
            for s in spans
            if start <= s["char_start"] and s["char_end"] <= end
        ]
        marks = [
            {**m, "char_offset": m["char_offset"] - start}
            for m in turn.get("marks", [])
            if start <= m["char_offset"] < end or (last and m["char_offset"] == end)
        ]
        if inside:
            piece["spoken_as"] = inside
        if marks:
            piece["marks"] = marks
        pieces.append(piece)
    return pieces


def _packed(ends: list[int], most: int) -> list[int]:
    """The sentence ends to cut at: as few as keep each piece within ``most`` characters where
    the sentences allow it (one longer than that is a piece of its own, refused as a turn)."""
    cuts: list[int] = []
    start = 0
    for i, end in enumerate(ends):
        following = ends[i + 1] if i + 1 < len(ends) else None
        if following is None or following - start > most:
            cuts.append(end)
            start = end
    return cuts
