"""Bad input: a 422 problem that names the field and the reason, and nothing published."""

from __future__ import annotations

import pytest

from tests.support.jobs import SUBMIT, dialogue
from ttsjobs.contracts import subjects

pytestmark = pytest.mark.e2e


def _without_bob_voice():
    body = dialogue("espeak")
    del body["voice_assignments"]["Bob"]
    return body


def _with(**changes):
    body = dialogue("espeak")
    body.update(changes)
    return body


def _turn_text(text):
    body = dialogue("espeak")
    body["turns"][0]["text"] = text
    return body


def _voice(provider, voice):
    body = dialogue(provider)
    body["voice_assignments"]["Alice"]["voice"] = voice
    return body


CASES = [
    ("empty turns", _with(turns=[]), "turns", "at least 1"),
    ("speaker without a voice", _without_bob_voice(), "turns[1].speaker", "no entry"),
    ("unknown provider", _with(provider="acme"), "provider", "espeak, piper"),
    (
        "unknown piper voice",
        _voice("piper", "en_GB-nobody"),
        "voice_assignments.Alice.voice",
        "en_US-joe-medium",
    ),
    (
        "unknown espeak variant",
        _voice("espeak", "en-us+nosuch"),
        "voice_assignments.Alice.voice",
        "unknown espeak voice",
    ),
    ("turn over the limit", _turn_text("a" * 2001), "turns[0].text", "at most 2000"),
    (
        "dialogue over the total limit",
        _with(turns=[{"speaker": "Alice", "text": "b" * 2000}] * 11),
        "turns",
        "at most 20000",
    ),
    ("blank text", _turn_text("   "), "turns[0].text", "blank"),
    ("unknown output format", _with(output_format="aiff"), "output_format", "wav"),
    (
        "speed out of range",
        _with(
            voice_assignments={"Alice": {"voice": "en-us", "speed": 9}, "Bob": {"voice": "en-us"}}
        ),
        "voice_assignments.Alice.speed",
        "less than or equal",
    ),
    ("unexpected field", _with(priority="high"), "priority", "not permitted"),
]


async def _created_count(js) -> int:
    info = await js.stream_info(subjects.STREAM, subjects_filter=subjects.every_job("created"))
    return sum((info.state.subjects or {}).values())


@pytest.mark.parametrize(
    ("body", "field", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_bad_input_is_a_problem_naming_the_field(api, js, body, field, reason):
    before = await _created_count(js)
    response = await api.post(SUBMIT, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["type"] == "urn:ttsjobs:problem:validation"
    named = {e["field"]: e["reason"] for e in problem["errors"]}
    assert field in named, named
    assert reason in named[field]
    assert await _created_count(js) == before, "a rejected request publishes nothing"


async def test_body_that_is_not_json_is_a_problem(api):
    response = await api.post(
        SUBMIT, content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_voice_catalogue_lists_both_providers_with_mandarin_and_cantonese(api):
    providers = {p["provider"]: p for p in (await api.get("/api/v1/voices")).json()["providers"]}
    assert {"piper", "espeak"} <= set(providers)
    assert next(v["id"] for v in providers["piper"]["voices"]) == "en_US-joe-medium"
    espeak_ids = {v["id"] for v in providers["espeak"]["voices"]}
    assert {"cmn", "yue", "en-us"} <= espeak_ids
    assert len(espeak_ids) > 100
    assert "f3" in providers["espeak"]["variants"]
