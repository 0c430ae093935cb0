"""single_tts requests: what the model refuses, the dialogue they become, and the way back."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ttsjobs.contracts.job_request import FieldProblem, JobType, RequestLimits, request_problems
from ttsjobs.contracts.single import (
    NARRATOR,
    PARAGRAPH_PAUSE_MS,
    SENTENCE_PAUSE_MS,
    SingleRequest,
    expand,
    single_of,
    single_problems,
    single_problems_of,
)


def _fields(body: dict) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        SingleRequest.model_validate(body)
    return {".".join(map(str, e["loc"])) for e in caught.value.errors()}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   \n"}, "text"),
        ({"text": "a\x00b"}, "text"),
        ({"text": "Hi.", "speed": 9}, "speed"),
        ({"text": "Hi.", "pitch": 0.1}, "pitch"),
        ({"text": "Hi.", "volume": 0}, "volume"),
        ({"text": "Hi.", "output_format": "aiff"}, "output_format"),
        ({"text": "Hi.", "sample_rate": 12345}, "sample_rate"),
        ({"text": "Hi.", "callback_url": "ftp://x"}, "callback_url"),
        ({"text": "Hi.", "gender": "other"}, "gender"),
        ({"text": "Hi.", "language": "not a tag"}, "language"),
        ({"text": "Hi.", "turns": []}, "turns"),
    ],
)
def test_the_model_names_the_field(body: dict, field: str) -> None:
    assert field in _fields(body)


def test_a_voice_and_a_wish_are_refused_together() -> None:
    with pytest.raises(ValidationError, match="not both"):
        SingleRequest(text="Hi.", voice="en-us", language="en")


def test_the_length_limit_is_its_own() -> None:
    limits = RequestLimits(max_single_chars=100)
    assert single_problems(SingleRequest(text="a" * 100), limits) == []
    (problem,) = single_problems(SingleRequest(text="a" * 101), limits)
    assert problem.field == "text"
    assert "at most 100" in problem.reason


def test_a_long_text_is_not_held_to_a_dialogue_s_limits() -> None:
    limits = RequestLimits()
    text = "This is one sentence of a long text. " * 2_500  # 92,500 characters, 2,500 sentences
    request = expand(SingleRequest(text=text, voice="en-us"), limits)
    assert len(request.turns) == 2_500
    assert request_problems(request, limits, JobType.single_tts) == []
    assert {p.field for p in request_problems(request, limits)} == {"turns"}  # as a dialogue


def test_expand_makes_a_turn_per_sentence_for_one_speaker() -> None:
    single = SingleRequest(
        text="Hello there. How are you?\n\nA new paragraph. 你好。",
        voice="en-us",
        speed=1.2,
        provider="espeak",
        output_format="mp3",
        title="T",
    )
    request = expand(single, RequestLimits())
    assert [t.text.strip() for t in request.turns] == [
        "Hello there.",
        "How are you?",
        "A new paragraph.",
        "你好。",
    ]
    assert request.speakers() == [NARRATOR]
    assert request.voice_assignments[NARRATOR].voice == "en-us"
    assert request.voice_assignments[NARRATOR].speed == 1.2
    assert request.pause_ms == SENTENCE_PAUSE_MS
    assert request.turns[1].pause_after_ms == PARAGRAPH_PAUSE_MS
    assert (request.provider, request.output_format, request.title) == ("espeak", "mp3", "T")


def test_a_cut_sentence_has_no_pause() -> None:
    request = expand(SingleRequest(text="word " * 100), RequestLimits(max_sentence_chars=50))
    assert all(t.pause_after_ms == 0 for t in request.turns[:-1])


def test_the_request_as_sent_comes_back_from_the_dialogue() -> None:
    single = SingleRequest(
        text="  One. Two!\n\nThree? 四。五！  ",
        language="zh-TW",
        gender="female",
        pitch=1.5,
        volume=2,
        pause_ms=0,
        callback_url="https://hooks.example.com/x",
    )
    assert single_of(expand(single, RequestLimits())) == single


def test_dialogue_problems_are_named_for_the_single_request() -> None:
    request = expand(SingleRequest(text="One. Two. Three."), RequestLimits())
    problems = [
        FieldProblem("voice_assignments.narrator.pitch", "no pitch"),
        FieldProblem("voice_assignments.narrator", "no voice is female fr"),
        FieldProblem("provider", "unknown"),
    ] + [FieldProblem(f"turns[{i}].text", "not Latin") for i in range(3)]
    named = single_problems_of(problems, request, at_most=2)
    assert [(p.field, p.reason) for p in named] == [
        ("pitch", "no pitch"),
        ("voice", "no voice is female fr"),
        ("provider", "unknown"),
        ("text", "sentence 1 ('One.'): not Latin"),
        ("text", "sentence 2 ('Two.'): not Latin"),
        ("text", "and 1 more sentences like these"),
    ]


def test_a_text_of_tiny_sentences_stays_within_a_message() -> None:
    from ttsjobs.contracts.job_events import JobCreated, JobCreatedData

    request = expand(SingleRequest(text="是。" * 50_000, voice="cmn"), RequestLimits())
    assert len(request.turns) <= RequestLimits().max_single_pieces
    event = JobCreated(
        id="j.created",
        source="/t",
        subject="j",
        data=JobCreatedData(user_id="u", job_type=JobType.single_tts, request=request),
    )
    assert len(event.model_dump_json().encode()) < 1_000_000  # NATS' default max_payload
