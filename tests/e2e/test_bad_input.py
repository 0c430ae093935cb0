"""Bad input: a 422 problem that names the field and the reason, and nothing published."""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from tests.support.jobs import SUBMIT, dialogue
from ttsjobs.contracts import subjects

pytestmark = pytest.mark.e2e


def _with(**changes):
    body = dialogue("espeak")
    body.update(changes)
    return body


def _turn_text(text):
    body = dialogue("espeak")
    body["turns"][0]["text"] = text
    return body


def _speaker(name):
    body = dialogue("espeak")
    body["turns"][0]["speaker"] = name
    return body


def _extra_voice(key):
    body = dialogue("espeak")
    body["voice_assignments"][key] = {"voice": "en-us"}
    return body


def _voice(provider, voice):
    body = dialogue(provider)
    body["voice_assignments"]["Alice"]["voice"] = voice
    return body


CASES = [
    ("empty turns", _with(turns=[]), "turns", "at least 1"),
    ("unknown provider", _with(provider="acme"), "provider", "espeak, kokoro, piper"),
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
    ("NUL in the title", _with(title="Two\x00friends"), "title", "NUL (U+0000) at index 3"),
    ("NUL in a speaker", _speaker("Ali\x00ce"), "turns[0].speaker", "NUL"),
    ("NUL in a text", _turn_text("Good\x00morning"), "turns[0].text", "NUL"),
    ("NUL in a voice", _voice("espeak", "en-us\x00"), "voice_assignments.Alice.voice", "NUL"),
    ("NUL in a key", _extra_voice("Bob\x00"), "voice_assignments.Bob\\u0000", "the key: "),
    ("NUL in the callback", _with(callback_url="http://h/\x00"), "callback_url", "NUL"),
    ("lone surrogate", _turn_text("half \ud83d pair"), "turns[0].text", "lone surrogate"),
    ("lone surrogate in a key", _extra_voice("Bob\udc00"), "voice_assignments.Bob\\udc00", "key"),
    ("non-character", _with(title="\ufffe"), "title", "non-character (U+FFFE)"),
    ("plane-end non-character", _turn_text("\U0010ffff"), "turns[0].text", "U+10FFFF"),
    ("voice for no speaker", _extra_voice("Carol"), "voice_assignments.Carol", "no turn"),
]


async def _post(api, body):
    # JSON with \uXXXX escapes, as a client would send it; a lone surrogate has no UTF-8 form,
    # so it can only travel escaped, and decodes to a lone surrogate in Python.
    return await api.post(
        SUBMIT, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )


async def _created_count(js) -> int:
    info = await js.stream_info(subjects.STREAM, subjects_filter=subjects.every_job("created"))
    return sum((info.state.subjects or {}).values())


@pytest.mark.parametrize(
    ("body", "field", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_bad_input_is_a_problem_naming_the_field(api, js, body, field, reason):
    before = await _created_count(js)
    response = await _post(api, body)
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


async def test_voice_assignments_are_bounded(api, js):
    before = await _created_count(js)
    many = dialogue("espeak")
    many["voice_assignments"].update({f"Extra {i}": {"voice": "en-us"} for i in range(5000)})
    response = await _post(api, many)
    assert response.status_code == 422, response.text[:500]
    named = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert "5000 entries name no speaker" in named["voice_assignments"]
    assert len(named) <= 20, "the first few unused keys are named, not all 5,000"
    assert len(response.content) < 10_000

    long_key = _extra_voice("K" * 100_000)
    response = await _post(api, long_key)
    assert response.status_code == 422, response.text[:500]
    (error,) = response.json()["errors"]
    assert error["field"].startswith("voice_assignments.KKK") and len(error["field"]) < 200
    assert "at most 64 characters" in error["reason"]
    assert await _created_count(js) == before, "a rejected request publishes nothing"


def _cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


CURSORS = {
    "non-UUID id": _cursor("2026-01-01T00:00:00+00:00", "not-a-uuid"),
    "year 1 at +14:00": _cursor("0001-01-01T00:00:00+14:00", str(uuid.uuid4())),
    "no offset": _cursor("2026-01-01T00:00:00", str(uuid.uuid4())),
    "garbage base64": "%%%not base64!!",
    "not a pair": _cursor("2026-01-01T00:00:00+00:00"),
    "a number for an id": _cursor("2026-01-01T00:00:00+00:00", 7),
    "NUL": "\x00",
}


@pytest.mark.parametrize("cursor", CURSORS.values(), ids=CURSORS.keys())
async def test_a_crafted_cursor_is_a_problem_naming_it(api, cursor):
    response = await api.get("/api/v1/jobs", params={"cursor": cursor})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["cursor"]
