"""Request checks that name the field: shared by the gateway and synthesis."""

from __future__ import annotations

from tests.support.jobs import dialogue
from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits, request_problems


def _problems(body, **limits):
    return {
        p.field: p.reason
        for p in request_problems(MultiRoleRequest.model_validate(body), RequestLimits(**limits))
    }


def test_a_valid_dialogue_has_no_problems():
    assert _problems(dialogue()) == {}


def test_each_limit_names_its_field():
    body = dialogue()
    assert "turns" in _problems(body, max_turns=2)
    assert "turns[0].text" in _problems(body, max_chars_per_turn=10)
    assert "at most 30" in _problems(body, max_total_chars=30)["turns"]
    assert "1 speakers" not in _problems(body, max_speakers=1).get("turns", "")
    assert "2 speakers; at most 1" in _problems(body, max_speakers=1)["turns"]


def test_a_voice_for_a_speaker_with_no_turn_is_named():
    body = dialogue()
    body["voice_assignments"]["Carol"] = {"voice": "v"}
    assert "no turn" in _problems(body)["voice_assignments.Carol"]


def test_many_unused_voices_are_counted_not_each_named():
    body = dialogue()
    body["voice_assignments"].update({f"X{i}": {"voice": "v"} for i in range(5000)})
    problems = _problems(body)
    assert len(problems) == 11
    assert "5000 entries" in problems["voice_assignments"]
