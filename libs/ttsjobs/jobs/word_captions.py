"""Word-level captions from a job's stored timing (contracts/word_timing.py): WebVTT with a
karaoke timestamp before each word, SRT with a cue per word, and character alignment JSON in the
shape ElevenLabs answers with (``characters``, ``character_start_times_seconds``,
``character_end_times_seconds``), so tools written for it read ours.

Text is shown as captions.py shows it (markup escaped, controls taken out, whitespace one
space). Turns the engine did not time keep a plain cue in WebVTT, and no cue in word SRT.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Literal

from ttsjobs.contracts.job_request import Turn
from ttsjobs.contracts.word_timing import JobTiming, TimedText, TurnWords
from ttsjobs.jobs.captions import _SHOWN, _SRT_MARKUP, Span, _clock, _one_voice, _vtt_voice

WordFormat = Literal["vtt-words", "srt-words", "alignment"]
WORD_FORMATS: tuple[WordFormat, ...] = ("vtt-words", "srt-words", "alignment")
CONTENT_TYPES: dict[WordFormat, str] = {
    "vtt-words": "text/vtt; charset=utf-8",
    "srt-words": "application/x-subrip; charset=utf-8",
    "alignment": "application/json",
}
EXTENSIONS: dict[WordFormat, str] = {
    "vtt-words": "words.vtt",
    "srt-words": "words.srt",
    "alignment": "alignment.json",
}


def _shown(text: str) -> str:
    """One line, its edges kept: the pieces between two timestamps keep their spaces."""
    return re.sub(r"\s+", " ", text.translate(_SHOWN))


def _vtt_piece(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _shown(text).replace("--&gt;", "→")


def _by_turn(timing: JobTiming) -> dict[int, TurnWords]:
    return {turn["index"]: turn for turn in timing["turns"]}


def _turn_starts(turns: Sequence[Turn], timing: JobTiming) -> list[int]:
    """Where each turn's text starts in the text the offsets count in."""
    starts, at = [], 0
    for turn in turns:
        starts.append(at if timing["offsets"] == "text" else 0)
        at += len(turn.text)
    return starts


def _karaoke(text: str, shift: int, words: list[TimedText], span: Span) -> str:
    """The turn's text with ``<hh:mm:ss.mmm>`` before each word after the first: a timestamp
    must lie strictly inside its cue and after the one before it."""
    out, at, last_ms = [], 0, span.start_ms
    for word in words:
        start, start_ms = word["char_start"] - shift, word["start_ms"]
        if not (at <= start <= len(text)) or not (last_ms < start_ms < span.end_ms):
            continue
        out += [_vtt_piece(text[at:start]), f"<{_clock(start_ms, '.')}>"]
        at, last_ms = start, start_ms
    out.append(_vtt_piece(text[at:]))
    return "".join(out).strip()


def webvtt_words(turns: list[Turn], spans: Sequence[Span], timing: JobTiming) -> str:
    timed, starts = _by_turn(timing), _turn_starts(turns, timing)
    labelled = not _one_voice(turns)
    lines = ["WEBVTT", ""]
    for i, (turn, span) in enumerate(zip(turns, spans, strict=True)):
        words = timed[i]["words"] if i in timed else []
        text = _karaoke(turn.text, starts[i], words, span)
        if labelled:
            text = f"<v {_vtt_voice(turn.speaker)}>{text}"
        times = f"{_clock(span.start_ms, '.')} --> {_clock(span.end_ms, '.')}"
        lines += [str(i + 1), times, text, ""]
    return "\n".join(lines)


def srt_words(turns: list[Turn], spans: Sequence[Span], timing: JobTiming) -> str:
    lines: list[str] = []
    turns_timed = sorted(timing["turns"], key=lambda t: t["index"])
    words = [word for turn in turns_timed for word in turn["words"]]
    for n, word in enumerate(words, 1):
        times = f"{_clock(word['start_ms'], ',')} --> {_clock(word['end_ms'], ',')}"
        text = _shown(word["text"].translate(_SRT_MARKUP)).strip().replace("--＞", "→")
        lines += [str(n), times, text, ""]
    return "\n".join(lines)


def alignment(turns: list[Turn], spans: Sequence[Span], timing: JobTiming) -> str:
    """Every character of the text (a dialogue's turns joined by a line break), each with a
    start and an end in seconds; characters the engine did not time (spaces, punctuation) run
    from the character before's end to the next timed character's start. Marks (SSML
    ``<mark>``), where the turns have any, with their time and the index of the character they
    stand before."""
    timed, starts = _by_turn(timing), _turn_starts(turns, timing)
    characters: list[str] = []
    times: list[tuple[int, int] | None] = []
    marks: list[dict[str, object]] = []
    for i, turn in enumerate(turns):
        if i and timing["offsets"] == "turn":
            characters.append("\n")
            times.append(None)
        marks += [
            {
                "name": mark["name"],
                "time_seconds": mark["time_ms"] / 1000,
                "character_index": len(characters) + mark["char_offset"] - starts[i],
            }
            for mark in (timed[i].get("marks", []) if i in timed else [])
        ]
        at = {c["char_start"] - starts[i]: c for c in timed[i]["characters"]} if i in timed else {}
        for n, char in enumerate(turn.text):
            characters.append(char)
            times.append((at[n]["start_ms"], at[n]["end_ms"]) if n in at else None)
    begins, ends = _filled(times)
    document: dict[str, object] = {
        "characters": characters,
        "character_start_times_seconds": [ms / 1000 for ms in begins],
        "character_end_times_seconds": [ms / 1000 for ms in ends],
    }
    if marks:
        document["marks"] = marks
    return json.dumps(document, ensure_ascii=False)


def _filled(times: list[tuple[int, int] | None]) -> tuple[list[int], list[int]]:
    nexts: list[int] = []
    upcoming: int | None = None
    for time in reversed(times):
        if time is not None:
            upcoming = time[0]
        nexts.append(upcoming if upcoming is not None else -1)
    nexts.reverse()
    begins, ends, last_end = [], [], 0
    for time, upcoming in zip(times, nexts, strict=True):
        if time is None:
            start = last_end
            end = max(start, upcoming) if upcoming >= 0 else start
        else:
            start, end = max(time[0], last_end), max(time[1], last_end)
        begins.append(start)
        ends.append(end)
        last_end = end
    return begins, ends


WRITERS: dict[WordFormat, Callable[[list[Turn], Sequence[Span], JobTiming], str]] = {
    "vtt-words": webvtt_words,
    "srt-words": srt_words,
    "alignment": alignment,
}
