"""Bodies read off the event loop: the counts that bound a dialogue come before its validation,
and problems are named as FastAPI names them; a script keeps to a job's limits."""

from __future__ import annotations

import json

import pytest

from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits
from ttsjobs.contracts.single import SingleRequest
from ttsjobs_gateway.bodies import validated
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.scripts import script_request, script_within_limits

LIMITS = RequestLimits()


def _refused(call, *args) -> list[tuple[str, str]]:
    with pytest.raises(InvalidRequest) as raised:
        call(*args)
    return [(p.field, p.reason) for p in raised.value.problems]


def test_too_many_turns_are_refused_before_one_is_validated():
    # Not one of these turns is valid: had they been validated, each would be a problem.
    body = json.dumps({"turns": [{"speaker": "", "text": 5}] * 201}).encode()
    assert _refused(validated, MultiRoleRequest, body, LIMITS) == [
        ("turns", "201 turns; at most 200")
    ]


def test_a_valid_body_is_the_model_and_bad_fields_are_named():
    body = {"turns": [{"speaker": "A", "text": "Hi."}], "title": "T"}
    request = validated(MultiRoleRequest, json.dumps(body).encode(), LIMITS)
    assert isinstance(request, MultiRoleRequest) and request.title == "T"
    body["turns"][0]["speaker"] = "x" * 65
    (problem,) = _refused(validated, MultiRoleRequest, json.dumps(body).encode(), LIMITS)
    assert problem[0] == "turns[0].speaker" and "at most 64" in problem[1]
    assert _refused(validated, MultiRoleRequest, b"{not json", LIMITS)[0][0] == "body"
    assert validated(SingleRequest, b'{"text": "Hello."}', LIMITS).text == "Hello."


def test_a_script_keeps_to_a_job_s_limits_named_by_its_lines():
    many = "".join(f"S{i % 2}: hi\n" for i in range(201)).encode()
    assert _refused(script_within_limits, "text/plain", many, LIMITS) == [
        ("turns", "201 turns; at most 200")
    ]
    long_turn = ("Alice: Hi.\nBob: " + "x" * 2_001).encode()
    assert _refused(script_within_limits, "text/plain", long_turn, LIMITS) == [
        ("script.line[2]", "2001 characters; at most 2000 per turn")
    ]
    _, request = script_request(
        "text/plain", b"Alice: Hi.\nBob: Hello.", {"sample_rate": "24000"}, LIMITS
    )
    assert [t.speaker for t in request.turns] == ["Alice", "Bob"]
    assert request.sample_rate == 24000, "a number in the query is read as one"
