"""Captions from the turn timings: WebVTT with a <v Speaker> tag per cue, and SRT."""

from __future__ import annotations

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


def webvtt(turns: list[Turn], spans: list[Span]) -> str:
    cues = ["WEBVTT", ""]
    for i, (turn, span) in enumerate(zip(turns, spans, strict=True), 1):
        cues += [
            str(i),
            f"{_clock(span.start_ms, '.')} --> {_clock(span.end_ms, '.')}",
            f"<v {_vtt_voice(turn.speaker)}>{_vtt_text(turn.text)}",
            "",
        ]
    return "\n".join(cues)


def srt(turns: list[Turn], spans: list[Span]) -> str:
    cues = []
    for i, (turn, span) in enumerate(zip(turns, spans, strict=True), 1):
        text = " ".join(turn.text.split())
        cues += [
            str(i),
            f"{_clock(span.start_ms, ',')} --> {_clock(span.end_ms, ',')}",
            f"{turn.speaker}: {text}",
            "",
        ]
    return "\n".join(cues)
