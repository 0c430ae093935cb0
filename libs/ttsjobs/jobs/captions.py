"""Captions from the turn timings: WebVTT with a <v Speaker> tag per cue, and SRT.

A speaker is named only when there are several: the captions of a single voice (a long text's
reader, a one-speaker dialogue) carry no label, since one name on every cue says nothing. In
SRT the name ends with a full-width colon when it is written in CJK (``主持人：``), as such text
is punctuated, and with ``: `` otherwise.

Rendered when asked for, from the job's turns and the timings its result holds, rather than
stored beside the audio: they are small, quick to make, and always what the timings say.

Cue text and speaker names are shown as text: C0 and C1 controls (a terminal or player may act
on them) and the bidi embeddings, overrides and isolates (which make text show other than it
reads: "\u202eecilA" shows as "Alice") are taken out, and every run of whitespace, tabs and line
breaks of any kind included, is one space: a line break would end the cue.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Literal, Protocol

from ttsjobs.contracts.job_request import Turn


class Span(Protocol):
    """Where a turn sits in the audio (a result's turn timing)."""

    @property
    def start_ms(self) -> int: ...

    @property
    def end_ms(self) -> int: ...


CONTENT_TYPES = {"vtt": "text/vtt; charset=utf-8", "srt": "application/x-subrip; charset=utf-8"}


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


# Controls that are whitespace to str.split (tab, line feed, VT, FF, CR, FS-US, NEL) become
# spaces; the others, and the bidi controls LRE RLE PDF LRO RLO and LRI RLI FSI PDI, go.
_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_SHOWN = str.maketrans({c: " " if chr(c).isspace() else None for c in _CONTROLS})


def _one_line(text: str) -> str:
    return " ".join(text.translate(_SHOWN).split())


def _vtt_text(text: str) -> str:
    # Cue text may not hold "-->", and & < > are markup in WebVTT.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _one_line(text).replace("--&gt;", "→")


def _vtt_voice(speaker: str) -> str:
    return _vtt_text(speaker)


def _cues(
    turns: list[Turn], spans: Sequence[Span], separator: str, line: Callable[[Turn], str]
) -> list[str]:
    """Numbered cues, one per turn: index, time range, then ``line(turn)``."""
    cues: list[str] = []
    for i, (turn, span) in enumerate(zip(turns, spans, strict=True), 1):
        times = f"{_clock(span.start_ms, separator)} --> {_clock(span.end_ms, separator)}"
        cues += [str(i), times, line(turn), ""]
    return cues


def _one_voice(turns: list[Turn]) -> bool:
    return len({turn.speaker for turn in turns}) <= 1


def webvtt(turns: list[Turn], spans: Sequence[Span]) -> str:
    if _one_voice(turns):
        cues = _cues(turns, spans, ".", lambda t: _vtt_text(t.text))
    else:
        cues = _cues(turns, spans, ".", lambda t: f"<v {_vtt_voice(t.speaker)}>{_vtt_text(t.text)}")
    return "\n".join(["WEBVTT", "", *cues])


# SRT has no escaping, yet players read <b>, <font …> and {\\an8}-style overrides in cue text
# as markup. Full-width look-alikes show what was written and can never be taken for markup.
_SRT_MARKUP = str.maketrans({"<": "＜", ">": "＞", "{": "｛", "}": "｝"})


def _srt_text(text: str) -> str:
    return _one_line(text.translate(_SRT_MARKUP)).replace("--＞", "→")


def _srt_label(speaker: str) -> str:
    name = _srt_text(speaker)
    return f"{name}：" if name and _written_in_cjk(name[-1]) else f"{name}: "


def _written_in_cjk(char: str) -> bool:
    # A wide or full-width letter or digit: Han, kana, bopomofo, full-width forms. Not the
    # look-alikes SRT markup becomes (＜b＞ was written "<b>"), and not Hangul: Korean puts a
    # space after an ASCII colon ("이름: ").
    wide = unicodedata.east_asian_width(char) in ("W", "F")
    written = unicodedata.category(char)[0] in ("L", "N")
    return wide and written and not unicodedata.name(char, "").startswith("HANGUL")


def srt(turns: list[Turn], spans: Sequence[Span]) -> str:
    if _one_voice(turns):
        return "\n".join(_cues(turns, spans, ",", lambda t: _srt_text(t.text)))
    return "\n".join(
        _cues(turns, spans, ",", lambda t: f"{_srt_label(t.speaker)}{_srt_text(t.text)}")
    )


CaptionFormat = Literal["vtt", "srt"]
WRITERS: dict[CaptionFormat, Callable[[list[Turn], Sequence[Span]], str]] = {
    "vtt": webvtt,
    "srt": srt,
}
