"""Scripts inside JSON, for clients that send JSON only (generated SDKs), on the real stack:
submitScriptJob makes the job a text/plain script makes, with the job's options beside the
script, and completes; a bad script is a 422 naming its line and makes no job; parseScript
reads {"script": ...} as it reads text/plain, and the live /openapi.json is valid."""

from __future__ import annotations

import uuid

import pytest
from openapi_spec_validator import validate

from tests.e2e.test_script_jobs import _created_count
from tests.support.jobs import wait_for_status

pytestmark = pytest.mark.e2e

SCRIPT_JOB = "/api/v1/jobs/tts/script"
SCRIPT = "# 晨間節目\n# voice Alice: en-us\nAlice: Good morning.\n[pause 500ms]\nBob: Hello.\n"


async def test_a_script_in_json_becomes_a_job_with_its_options_and_completes(api):
    body = {"script": SCRIPT, "provider": "espeak", "output_format": "mp3", "pause_ms": 100}
    key = {"Idempotency-Key": f"script-json-{uuid.uuid4()}"}
    response = await api.post(SCRIPT_JOB, json=body, headers=key)
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert job["title"] == "晨間節目" and job["provider"] == "espeak"
    assert job["input"]["output_format"] == "mp3" and job["input"]["pause_ms"] == 100
    turns = [(t["speaker"], t["text"], t["pause_after_ms"]) for t in job["input"]["turns"]]
    assert turns == [("Alice", "Good morning.", 500), ("Bob", "Hello.", None)]
    assert job["input"]["voice_assignments"]["Alice"]["voice"] == "en-us"
    assert "Bob" in job["input"]["voice_assignments"], "a speaker without a voice is cast"

    again = await api.post(SCRIPT_JOB, json=body, headers=key)
    assert again.status_code == 202 and again.json()["id"] == job["id"], "same key, same job"
    done = await wait_for_status(api, job["id"], {"completed", "failed"}, timeout_s=60)
    assert done["status"] == "completed", done["error_message"]
    audio = await api.get(f"/api/v1/jobs/{job['id']}/download")
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/mpeg"
    assert len(audio.content) > 1000


async def test_a_bad_script_in_json_is_a_422_naming_its_line_and_makes_no_job(api, js):
    before = await _created_count(js)
    bad = await api.post(SCRIPT_JOB, json={"script": "Alice: One.\n\nTwo.\n"})
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in bad.json()["errors"]] == ["script.line[3]"]
    unknown = await api.post(SCRIPT_JOB, json={"script": "Alice: One.\n", "turns": []})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "turns"
    lone = await api.post(  # escaped in the JSON: a client's encoder cannot send it raw
        SCRIPT_JOB,
        content=rb'{"script": "Alice: ok\nBob: \ud800\n"}',
        headers={"content-type": "application/json"},
    )
    assert lone.status_code == 422
    assert lone.json()["errors"][0]["field"] == "script.line[2]", lone.text
    assert await _created_count(js) == before, "a refused script publishes nothing"


async def test_parse_script_reads_json_as_it_reads_text(api):
    as_text = await api.post(
        "/api/v1/scripts/parse", content=SCRIPT.encode(), headers={"content-type": "text/plain"}
    )
    as_json = await api.post("/api/v1/scripts/parse", json={"script": SCRIPT})
    assert as_text.status_code == as_json.status_code == 200, as_json.text
    assert as_json.json() == as_text.json()
    assert as_json.json()["title"] == "晨間節目"
    bad = await api.post("/api/v1/scripts/parse", json={"script": "Alice: One.\n\nTwo.\n"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "script.line[3]"
    missing = await api.post("/api/v1/scripts/parse", json={"text": SCRIPT})
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"script", "text"}


async def test_the_served_document_is_valid_and_lists_both_json_forms(api):
    document = (await api.get("/openapi.json")).json()
    validate(document)
    assert document["paths"][SCRIPT_JOB]["post"]["operationId"] == "submitScriptJob"
    parse = document["paths"]["/api/v1/scripts/parse"]["post"]["requestBody"]["content"]
    assert {"text/plain", "application/json"} <= set(parse)
