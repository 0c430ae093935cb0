"""What a request's model refuses at the door: numbers that are not numbers, text with nothing
to say, names with controls; and that recorded events and rows still read as they were written,
warnings included."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import JobCreated, parse_event
from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits
from ttsjobs.contracts.single import SingleRequest, expand
from ttsjobs.jobs.state import fold
from ttsjobs.readmodel.rows import WRITE_COLUMNS, row_from_state, state_from_row
from ttsjobs_gateway.publishers import job_created
from ttsjobs_gateway.schemas import JobView


def _fields(model, body) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate_json(json.dumps(body))
    return {".".join(map(str, e["loc"])): e["msg"] for e in raised.value.errors()}


def _voice(**settings):
    return dialogue(voice_assignments={"Alice": {"voice": "x", **settings}, "Bob": {"voice": "x"}})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_voice(speed=True), "voice_assignments.Alice.speed"),
        (_voice(speed="1.5"), "voice_assignments.Alice.speed"),
        (_voice(pitch=False), "voice_assignments.Alice.pitch"),
        (_voice(volume="2"), "voice_assignments.Alice.volume"),
        (dialogue(pause_ms=True), "pause_ms"),
        (dialogue(pause_ms="300"), "pause_ms"),
        (dialogue(pause_ms=300.0), "pause_ms"),
        (dialogue(sample_rate="24000"), "sample_rate"),
        (dialogue(sample_rate=True), "sample_rate"),
        (dialogue(turns=[{"speaker": "A", "text": "Hi.", "pause_after_ms": True}]),
         "turns.0.pause_after_ms"),
    ],
)  # fmt: skip
def test_booleans_and_strings_are_refused_where_a_number_is_expected(body, field):
    assert field in _fields(MultiRoleRequest, body)


def test_a_json_whole_number_is_still_a_speed():
    request = MultiRoleRequest.model_validate_json(json.dumps(_voice(speed=2, volume=1)))
    assert request.voice_assignments["Alice"].speed == 2.0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Hi.", "speed": True}, "speed"),
        ({"text": "Hi.", "pause_ms": "0"}, "pause_ms"),
        ({"text": "Hi.", "sample_rate": False}, "sample_rate"),
    ],
)
def test_a_single_request_is_as_strict(body, field):
    assert field in _fields(SingleRequest, body)


@pytest.mark.parametrize("text", ["。。。！？", "...", "\u200b", "\u2060\ufeff", "★ ♪ 😀"])
def test_text_with_nothing_to_say_is_refused_for_a_turn_and_a_single_text(text):
    turns = [{"speaker": "Alice", "text": "Hi."}, {"speaker": "Bob", "text": text}]
    problems = _fields(MultiRoleRequest, dialogue(turns=turns))
    assert list(problems) == ["turns.1.text"]
    assert "nothing to say" in problems["turns.1.text"] or "blank" in problems["turns.1.text"]
    assert list(_fields(SingleRequest, {"text": text})) == ["text"]


@pytest.mark.parametrize("name", ["\u202eecilA", "Al\x1bice", "\u2066Bob\u2069", "\u200b"])
def test_a_speaker_name_with_controls_or_nothing_visible_is_refused(name):
    turns = [{"speaker": name, "text": "Hi."}]
    assert list(_fields(MultiRoleRequest, dialogue(turns=turns, voice_assignments={}))) == [
        "turns.0.speaker"
    ]
    keyed = dialogue(turns=[{"speaker": "A", "text": "Hi."}], voice_assignments={name: {}})
    assert any(field.startswith("voice_assignments") for field in _fields(MultiRoleRequest, keyed))


def test_a_recorded_event_reads_as_written_though_the_door_would_refuse_it():
    event = job_created(MultiRoleRequest.model_validate(dialogue()), user_id="u1")
    raw = json.loads(event.model_dump_json())
    raw["data"]["request"]["turns"][0] = {"speaker": "\u202eecilA", "text": "。。。"}
    del raw["data"]["warnings"]  # an event from before warnings
    parsed = parse_event(json.dumps(raw))
    assert isinstance(parsed, JobCreated)
    assert parsed.data.request.turns[0].text == "。。。" and parsed.data.warnings == []


def test_a_silent_paragraph_of_a_single_text_is_read_with_its_neighbour():
    text = "* * *\n\nIt was late.\n\n……\n\nThe end.\n\n* * *"
    request = expand(SingleRequest(text=text), RequestLimits())
    assert "".join(turn.text for turn in request.turns) == text
    assert len(request.turns) == 2


def test_warnings_go_from_the_event_to_the_state_the_row_and_the_view():
    warnings = ["2 speakers share the voice ff_siwis (A, B): …"]
    event = job_created(
        MultiRoleRequest.model_validate(dialogue()), user_id="u1", warnings=warnings
    ).model_copy(update={"time": datetime(2026, 1, 1, tzinfo=UTC)})
    state = fold([(1, parse_event(event.model_dump_json()))])
    assert state is not None and state.warnings == warnings
    row = dict(zip(WRITE_COLUMNS, row_from_state(state), strict=True))
    assert state_from_row(row).warnings == warnings
    assert JobView.of(state).warnings == warnings
