"""Bad input: a 422 problem that names the field and the reason, and nothing published."""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from tests.conftest import eventually
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


def _kokoro(voice, text):
    body = dialogue("espeak")
    body.update(provider="kokoro", voice_assignments={"Alice": {"voice": voice}})
    body["turns"] = [{"speaker": "Alice", "text": text}]
    return body


def _alice(**settings):
    body = dialogue("espeak")
    body["voice_assignments"]["Alice"].update(settings)
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
    # Issue 29: scripts a voice cannot read, text with nothing to say, controls, numbers.
    *(
        (f"{script} for {voice}", _kokoro(voice, text), "turns[0].text", script)
        for voice in ("af_heart", "am_michael", "zf_xiaoxiao")
        for script, text in (("Arabic", "مرحبا بالعالم"), ("Hebrew", "שלום עולם"))
    ),
    ("only punctuation", _turn_text("。。。！？"), "turns[0].text", "nothing to say"),
    ("only symbols", _turn_text("★ ♪ 😀"), "turns[0].text", "nothing to say"),
    ("only ZWSP", _turn_text("\u200b"), "turns[0].text", "blank"),
    ("only WJ and BOM", _turn_text("\u2060\ufeff"), "turns[0].text", "blank"),
    ("bidi override in a speaker", _speaker("\u202eecilA"), "turns[0].speaker", "U+202E"),
    ("C1 control in a speaker", _speaker("Ali\x9bce"), "turns[0].speaker", "U+009B"),
    ("bidi isolate in a key", _extra_voice("\u2066Bob"), "voice_assignments.\u2066Bob", "control"),
    ("a boolean speed", _alice(speed=True), "voice_assignments.Alice.speed", "valid number"),
    ("a string speed", _alice(speed="1.5"), "voice_assignments.Alice.speed", "valid number"),
    ("a boolean pause", _with(pause_ms=True), "pause_ms", "valid integer"),
    ("a string sample rate", _with(sample_rate="24000"), "sample_rate", "valid integer"),
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


# Issue 29 on the other routes: a single text, a script as text/plain, and what is accepted.

SINGLE = "/api/v1/jobs/tts"


@pytest.mark.parametrize("text", ["。。。！？", "\u200b\u2060\ufeff", "...!?"])
async def test_a_single_text_with_nothing_to_say_is_refused_on_every_provider(api, js, text):
    before = await _created_count(js)
    for provider in ("espeak", "kokoro", "piper"):
        response = await api.post(SINGLE, json={"text": text, "provider": provider})
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == ["text"]
    assert await _created_count(js) == before


async def test_a_line_separator_in_a_script_ends_the_line(api):
    script = "Alice: Good morning.\u2028Bob: Morning!\u2029Alice: Tea?\x85Bob: Yes."
    response = await api.post(
        "/api/v1/scripts/parse",
        content=script.encode(),
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    assert [t["speaker"] for t in response.json()["turns"]] == ["Alice", "Bob", "Alice", "Bob"]


async def test_a_script_s_numbers_from_the_query_are_still_numbers(api):
    response = await api.post(
        SUBMIT,
        content=b"Alice: Hello.\nBob: Hi.",
        params={"provider": "espeak", "sample_rate": "24000", "pause_ms": "500"},
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert (job["input"]["sample_rate"], job["input"]["pause_ms"]) == (24000, 500)


async def test_a_json_whole_number_is_a_speed(api):
    response = await api.post(SUBMIT, json=_alice(speed=1))
    assert response.status_code == 202, response.text
    assert response.json()["input"]["voice_assignments"]["Alice"]["speed"] == 1.0


async def test_hindi_lines_without_a_voice_are_cast_a_hindi_voice(api):
    body = {"turns": [{"speaker": "Asha", "text": "नमस्ते, आप कैसे हैं?"}], "provider": "kokoro"}
    response = await api.post(SUBMIT, json=body)
    assert response.status_code == 202, response.text
    voice = response.json()["input"]["voice_assignments"]["Asha"]["voice"]
    assert voice.startswith("h"), voice  # kokoro's Hindi voices: hf_alpha, hm_omega, …


async def test_arabic_without_a_voice_is_cast_where_a_voice_reads_it(api):
    body = {"turns": [{"speaker": "Sara", "text": "صباح الخير"}]}
    response = await api.post(SUBMIT, json=body)
    assert response.status_code == 202, response.text
    job = response.json()
    assert (
        job["provider"] == "espeak" and job["input"]["voice_assignments"]["Sara"]["voice"] == "ar"
    )
    kokoro = await api.post(SUBMIT, json={**body, "provider": "kokoro"})
    assert kokoro.status_code == 422
    assert [(e["field"], "Arabic" in e["reason"]) for e in kokoro.json()["errors"]] == [
        ("turns[0].text", True)
    ]


async def test_speakers_that_must_share_a_voice_are_warned_of_in_the_job(api):
    names = [f"Speaker {i}" for i in range(10)]
    body = {
        "provider": "kokoro",
        "turns": [{"speaker": name, "text": "Bonjour."} for name in names],
        "voice_assignments": {name: {"language": "fr"} for name in names},
    }
    response = await api.post(SUBMIT, json=body)
    assert response.status_code == 202, response.text
    job = response.json()
    assert {a["voice"] for a in job["input"]["voice_assignments"].values()} == {"ff_siwis"}
    [warning] = job["warnings"]
    assert "ff_siwis" in warning and "10 speakers" in warning
    await api.delete(f"/api/v1/jobs/{job['id']}")  # the warning is the point, not the audio

    async def listed():
        page = (await api.get("/api/v1/jobs", params={"limit": 50})).json()["items"]
        return next((j for j in page if j["id"] == job["id"]), None)

    row = await eventually(listed, timeout_s=30)
    assert row["warnings"] == [warning], "the read model keeps the warning too"
