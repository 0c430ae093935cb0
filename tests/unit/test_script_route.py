"""The gateway's side of a text/plain script: decoding, the JSON request it stands for, and
problems found after parsing named by the script's lines."""

from __future__ import annotations

import pytest

from ttsjobs.contracts.job_request import FieldProblem, MultiRoleRequest
from ttsjobs.contracts.script import parse_script
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.scripts import invalid_script, named_by_line, read_script, request_body

SCRIPT = "# voice Dr. Who: en-us\nAlice: Hi.\nDr. Who: Hello.\n[pause 1s]\nAlice: Bye."


def refused(content_type: str, body: bytes) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as raised:
        read_script(content_type, body)
    return raised.value


def test_the_request_a_script_stands_for_takes_its_other_fields_from_the_query():
    body = request_body(parse_script(SCRIPT), {"title": "T", "output_format": "mp3", "x": "?"})
    request = MultiRoleRequest.model_validate(body)
    assert (request.title, request.output_format.value) == ("T", "mp3")
    assert [t.speaker for t in request.turns] == ["Alice", "Dr. Who", "Alice"]
    assert request.turns[1].pause_after_ms == 1000
    assert request.voice_assignments["Dr. Who"].voice == "en-us"
    assert "x" not in body


def test_speakers_without_a_voice_line_are_left_to_casting():
    body = request_body(parse_script("Alice: Hi.\nBob: Hello."), {})
    assert body["voice_assignments"] == {}


def test_a_script_is_read_as_utf8_and_other_charsets_are_refused():
    assert read_script("text/plain", "Bob：你好".encode()).turns[0].speaker == "Bob"
    assert read_script('text/plain; charset="UTF-8"', b"Bob: Hi").turns[0].text == "Hi"
    assert [p.field for p in refused("text/plain; charset=latin-1", b"Bob: Hi").problems] == [
        "Content-Type"
    ]


def test_bytes_that_are_not_utf8_are_named_by_their_line():
    problem = refused("text/plain", b"Alice: Hi.\n\nBob: caf\xe9").problems[0]
    assert (problem.field, problem.reason) == ("script.line[3]", "not UTF-8 (byte 0xe9)")


def test_the_detail_reads_as_the_script_does():
    refusal = refused("text/plain", b"Alice: One.\n\nTwo.\n\nThree.")
    assert refusal.detail.startswith("line 3: no speaker")
    assert "; line 5: no speaker" in refusal.detail
    assert [e["field"] for e in refusal.extra["errors"]] == ["script.line[3]", "script.line[5]"]


def test_a_turn_problem_is_named_by_the_line_the_turn_starts_on():
    script = parse_script(SCRIPT)
    moved = named_by_line(FieldProblem("turns[2].text", "too long"), script)
    assert (moved.field, moved.reason) == ("script.line[5]", "too long")


def test_a_voice_problem_is_named_by_the_voice_line_or_the_first_turn():
    script = parse_script(SCRIPT)
    voice = named_by_line(FieldProblem("voice_assignments.Dr. Who.voice", "unknown"), script)
    assert voice.field == "script.line[1]"
    cast = named_by_line(FieldProblem("voice_assignments.Alice", "no voice is zh"), script)
    assert cast.field == "script.line[2]"


def test_a_problem_of_the_whole_request_keeps_its_field():
    script = parse_script(SCRIPT)
    for field in ("turns", "provider", "output_format"):
        assert named_by_line(FieldProblem(field, "x"), script).field == field
    mixed = invalid_script([FieldProblem("script.line[4]", "a"), FieldProblem("provider", "b")])
    assert mixed.detail == "line 4: a; provider: b"


def test_a_script_names_its_lexicons_in_the_query_one_each():
    body = request_body(parse_script(SCRIPT), {"lexicons": ["brands", "names"]})
    assert MultiRoleRequest.model_validate(body).lexicons == ["brands", "names"]
