"""Chapters in a script: a "## title" line starts a chapter at the next turn."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ttsjobs.contracts.job_request import MAX_CHAPTER_CHARS, Turn
from ttsjobs.contracts.script import ScriptProblems, parse_script


def chapters(text: str) -> list[tuple[str, str, str | None]]:
    return [(t.speaker, t.text, t.chapter) for t in parse_script(text).turns]


def problems(text: str) -> dict[str, str]:
    with pytest.raises(ScriptProblems) as raised:
        parse_script(text)
    return {p.field: p.reason for p in raised.value.problems}


def test_a_chapter_line_starts_a_chapter_at_the_next_turn():
    script = "## Intro\nAlice: Hi.\nBob: Hello.\n\n##   Part   two  \nAlice: On we go."
    assert chapters(script) == [
        ("Alice", "Hi.", "Intro"),
        ("Bob", "Hello.", None),
        ("Alice", "On we go.", "Part two"),
    ]


def test_a_chapter_line_inside_a_turn_ends_it_and_the_speaker_goes_on():
    script = "Narrator: The end of one part.\n## 第二章\n第二章的開始。\nmore of it"
    assert chapters(script) == [
        ("Narrator", "The end of one part.", None),
        ("Narrator", "第二章的開始。 more of it", "第二章"),
    ]


def test_a_first_chapter_line_is_a_chapter_not_the_title():
    parsed = parse_script("## One\nAlice: Hi.")
    assert parsed.title is None
    assert parsed.turns[0].chapter == "One"
    titled = parse_script("# Show\n## One\nAlice: Hi.")
    assert (titled.title, titled.turns[0].chapter) == ("Show", "One")


def test_deeper_headings_and_hashes_inside_a_line_stay_comments_and_text():
    assert chapters("### not a chapter\nAlice: Hi ## there.") == [("Alice", "Hi ## there.", None)]


def test_a_pause_before_a_chapter_stays_with_the_turn_before():
    parsed = parse_script("Alice: Hi.\n[pause 2s]\n## Two\nBob: Hello.")
    assert [(t.pause_after_ms, t.chapter) for t in parsed.turns] == [(2000, None), (None, "Two")]


def test_bad_chapter_lines_are_named_by_their_line():
    assert problems("Alice: Hi.\n##\nBob: x") == {
        "script.line[2]": "a chapter needs a title: '## Chapter one'"
    }
    assert problems("Alice: Hi.\n## …\nBob: x") == {
        "script.line[2]": "a chapter's title needs a letter or a number"
    }
    long = "x" * (MAX_CHAPTER_CHARS + 1)
    assert problems(f"Alice: Hi.\n## {long}\nBob: x") == {
        "script.line[2]": f"a chapter's title has at most {MAX_CHAPTER_CHARS} characters"
    }
    assert problems("## One\n## Two\nAlice: Hi.") == {
        "script.line[2]": "the chapter on line 1 has no turn before this"
    }
    assert problems("Alice: Hi.\n## Outro") == {
        "script.line[2]": "a chapter after the last turn has no turn in it"
    }


def test_a_turn_field_names_a_chapter_within_the_same_bounds():
    assert Turn(speaker="A", text="Hi.", chapter="Intro").chapter == "Intro"
    assert Turn(speaker="A", text="Hi.").chapter is None
    for bad in ("", "x" * (MAX_CHAPTER_CHARS + 1), "…", "a\x00b"):
        with pytest.raises(ValidationError):
            Turn(speaker="A", text="Hi.", chapter=bad)
