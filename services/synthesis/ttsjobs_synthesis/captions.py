"""Captions from the turn timings: WebVTT with a <v Speaker> tag per cue, and SRT."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from ttsjobs.contracts.job_request import Turn
from ttsjobs_synthesis.audio import Span

CONTENT_TYPES = {"vtt": "text/vtt; charset=utf-8", "srt": "application/x-subrip; charset=utf-8"}


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _vtt_text(text: str) -> str:
    # Cue text may not hold "-->", and & < > are markup in WebVTT.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.replace("--&gt;", "→").split())


def _vtt_voice(speaker: str) -> str:
    return speaker.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cues(turns: list[Turn], spans: list[Span], separator: str, line) -> list[str]:
    """Numbered cues, one per turn: index, time range, then ``line(turn)``."""
    cues: list[str] = []
    for i, (turn, span) in enumerate(zip(turns, spans, strict=True), 1):
        times = f"{_clock(span.start_ms, separator)} --> {_clock(span.end_ms, separator)}"
        cues += [str(i), times, line(turn), ""]
    return cues


def webvtt(turns: list[Turn], spans: list[Span]) -> str:
    voiced = _cues(turns, spans, ".", lambda t: f"<v {_vtt_voice(t.speaker)}>{_vtt_text(t.text)}")
    return "\n".join(["WEBVTT", "", *voiced])


# SRT has no escaping, yet players read <b>, <font …> and {\\an8}-style overrides in cue text
# as markup. Full-width look-alikes show what was written and can never be taken for markup.
_SRT_MARKUP = str.maketrans({"<": "＜", ">": "＞", "{": "｛", "}": "｝"})


def _srt_text(text: str) -> str:
    return " ".join(text.translate(_SRT_MARKUP).replace("--＞", "→").split())


def srt(turns: list[Turn], spans: list[Span]) -> str:
    return "\n".join(
        _cues(turns, spans, ",", lambda t: f"{_srt_text(t.speaker)}: {_srt_text(t.text)}")
    )


CaptionFormat = Literal["vtt", "srt"]
# Every job gets both, in this order.
WRITERS: dict[CaptionFormat, Callable[[list[Turn], list[Span]], str]] = {"vtt": webvtt, "srt": srt}
