"""A turn's marks (SSML ``<mark>``) in the job's word timing: each at the first character spoken
at or after it, or at the turn's end; a turn the engine did not time still carries its marks;
the alignment JSON lists them by the character they stand before."""

from __future__ import annotations

import json

from ttsjobs.contracts.job_request import JobType, Turn
from ttsjobs.contracts.turn_markup import Mark
from ttsjobs.jobs.word_captions import alignment
from ttsjobs_synthesis.audio import Span
from ttsjobs_synthesis.providers.base import TimedSpan, Timing
from ttsjobs_synthesis.word_timing import job_timing

TEXT = "one two"


def _timing() -> Timing:
    words = (TimedSpan("one", 100, 300, 0, 3), TimedSpan("two", 500, 700, 4, 7))
    characters = tuple(
        TimedSpan(TEXT[i], start, start + 60, i, i + 1)
        for i, start in [(0, 100), (1, 160), (2, 220), (4, 500), (5, 560), (6, 620)]
    )
    return Timing(words, characters)


def _turn(**marks: int) -> Turn:
    return Turn(
        speaker="A", text=TEXT, marks=[Mark(name=n, char_offset=o) for n, o in marks.items()]
    )


def test_a_mark_is_timed_at_the_next_character_spoken_or_the_turns_end():
    turns = [Turn(speaker="A", text="Hi."), _turn(start=0, middle=3, end=7)]
    spans = [Span(0, 800), Span(1000, 1900)]
    timing = job_timing(turns, JobType.multi_role_tts, spans, {0: _timing(), 1: _timing()})
    assert timing is not None
    first, second = timing["turns"]
    assert "marks" not in first
    # "middle" sits on the space: the next spoken character is "t", at 500 ms into the turn.
    assert second["marks"] == [
        {"name": "start", "time_ms": 1100, "char_offset": 0},
        {"name": "middle", "time_ms": 1500, "char_offset": 3},
        {"name": "end", "time_ms": 1900, "char_offset": 7},
    ]
    words = second["words"]
    assert words[0]["end_ms"] <= second["marks"][1]["time_ms"] <= words[1]["start_ms"]


def test_a_turn_the_engine_did_not_time_keeps_its_marks_spread_over_its_audio():
    turns = [_turn(half=3)]
    timing = job_timing(turns, JobType.multi_role_tts, [Span(0, 700)], {})
    assert timing is not None
    assert timing["turns"] == [
        {"index": 0, "words": [], "characters": [], "marks": [{"name": "half", "time_ms": 300,
                                                               "char_offset": 3}]}
    ]  # fmt: skip
    assert (
        job_timing([Turn(speaker="A", text=TEXT)], JobType.multi_role_tts, [Span(0, 700)], {})
        is None
    )


def test_the_alignment_lists_marks_by_the_character_they_stand_before():
    turns = [Turn(speaker="A", text="Hi."), _turn(middle=4)]
    spans = [Span(0, 800), Span(1000, 1900)]
    timing = job_timing(turns, JobType.multi_role_tts, spans, {1: _timing()})
    assert timing is not None
    document = json.loads(alignment(turns, spans, timing))
    (mark,) = document["marks"]
    assert mark["name"] == "middle" and mark["time_seconds"] == 1.5
    assert "".join(document["characters"][mark["character_index"] :]) == "two"
