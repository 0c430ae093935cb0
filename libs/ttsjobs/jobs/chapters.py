"""A job's chapters: where each starts in the audio, and the chapters as players read them
beside the file (WebVTT chapter cues, Podcasting 2.0 JSON chapters).

A chapter starts with the turn that names it (``Turn.chapter``, a script's ``## title`` line)
and ends where the next one starts, the last at the end of the audio. Synthesis writes the
same chapters into the file (ID3 CHAP/CTOC, MP4 chapters); the gateway renders these two
forms from the job's result when asked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from ttsjobs.contracts.job_events import Chapter
from ttsjobs.contracts.job_request import Turn

# Podcasting 2.0's chapters file (podcastindex.org's JSON chapters spec, version 1.2.0).
PODCAST_CHAPTERS_VERSION = "1.2.0"
CONTENT_TYPES = {
    "vtt": "text/vtt; charset=utf-8",
    "json": "application/json+chapters; charset=utf-8",
}


def _clock(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _cue_text(title: str) -> str:
    # One line (a line break would end the cue), no "-->", and & < > escaped: they are markup.
    title = " ".join(title.split()).replace("-->", "→")
    return title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Start(Protocol):
    """Where a turn starts in the audio (an assembly's span, a result's turn timing)."""

    @property
    def start_ms(self) -> int: ...


def chapters_of(turns: Sequence[Turn], starts: Sequence[Start]) -> list[Chapter]:
    """The chapters of a job whose turns start at ``starts``, in order."""
    return [
        Chapter(title=turn.chapter, start_ms=start.start_ms)
        for turn, start in zip(turns, starts, strict=True)
        if turn.chapter is not None
    ]


def ends(chapters: Sequence[Chapter], duration_ms: int) -> list[int]:
    """Where each chapter ends: at the next one's start, the last at ``duration_ms``."""
    return [c.start_ms for c in chapters[1:]] + [duration_ms] if chapters else []


def webvtt(chapters: Sequence[Chapter], duration_ms: int) -> str:
    """WebVTT chapter cues (a <track kind="chapters"> reads them): one per chapter."""
    lines = ["WEBVTT", ""]
    for i, (chapter, end) in enumerate(zip(chapters, ends(chapters, duration_ms), strict=True), 1):
        span = f"{_clock(chapter.start_ms)} --> {_clock(end)}"
        lines += [str(i), span, _cue_text(chapter.title), ""]
    return "\n".join(lines)


def podcast_json(chapters: Sequence[Chapter], duration_ms: int, title: str | None) -> str:
    """Podcasting 2.0 JSON chapters: startTime and endTime in seconds."""
    body: dict[str, Any] = {"version": PODCAST_CHAPTERS_VERSION}
    if title:
        body["title"] = title
    body["chapters"] = [
        {"startTime": chapter.start_ms / 1000, "endTime": end / 1000, "title": chapter.title}
        for chapter, end in zip(chapters, ends(chapters, duration_ms), strict=True)
    ]
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
