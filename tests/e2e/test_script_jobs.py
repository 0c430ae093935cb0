"""Scripts as people write them, on the real stack: a text/plain POST becomes a job whose stored
input holds the turns and the voices cast for them; a bad script is a 422 naming its line and
makes no job; and `ttsjobs submit script.txt` does the same from the CLI."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.test_cli import ttsjobs
from tests.support.jobs import SUBMIT, wait_for_status
from ttsjobs.contracts import subjects

pytestmark = pytest.mark.e2e

SCRIPT = (
    "\ufeff# Morning, in two languages\r\n"
    "Alice: Good morning,\r\n"
    "  Bob.\r\n"
    "[pause 1s]\r\n"
    "鲍勃：早上好。\r\n"
    "你好！\r\n"
    "\r\n"
    "Alice: See http://example.com at 10:30.\r\n"
)
TEXT = {"content-type": "text/plain; charset=utf-8"}


async def _post_script(api: httpx.AsyncClient, script: str, **query: str) -> httpx.Response:
    return await api.post(SUBMIT, content=script.encode(), params=query, headers=TEXT)


async def _created_count(js) -> int:
    info = await js.stream_info(subjects.STREAM, subjects_filter=subjects.every_job("created"))
    return sum((info.state.subjects or {}).values())


async def test_a_script_becomes_a_job_with_its_turns_and_cast_voices(api):
    response = await _post_script(api, SCRIPT, title="script morning", provider="espeak")
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert job["title"] == "script morning" and job["provider"] == "espeak"
    assert job["input"]["turns"] == [
        {"speaker": "Alice", "text": "Good morning, Bob.", "pause_after_ms": 1000, "chapter": None},
        {"speaker": "鲍勃", "text": "早上好。你好！", "pause_after_ms": None, "chapter": None},
        {"speaker": "Alice", "text": "See http://example.com at 10:30.", "pause_after_ms": None,
         "chapter": None},
    ]  # fmt: skip
    voices = {name: a["voice"] for name, a in job["input"]["voice_assignments"].items()}
    assert set(voices) == {"Alice", "鲍勃"} and len(set(voices.values())) == 2, voices
    assert voices["鲍勃"] == "cmn", "a speaker of Han text is cast a Mandarin voice"

    done = await wait_for_status(api, job["id"], {"completed", "failed"}, timeout_s=120)
    assert done["status"] == "completed", done["error_message"]
    first, second, _ = done["result"]["turn_timings"]
    assert second["start_ms"] - first["end_ms"] >= 1000, "the script's pause is in the audio"


async def test_a_bad_script_is_a_422_naming_its_line_and_makes_no_job(api, js):
    before = await _created_count(js)
    response = await _post_script(api, "Alice: One.\n\nTwo.\n", provider="espeak")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:ttsjobs:problem:validation"
    assert problem["detail"].startswith("line 3: no speaker")
    assert [e["field"] for e in problem["errors"]] == ["script.line[3]"]

    empty = await _post_script(api, "# nothing but a comment\n")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "script"

    not_utf8 = await api.post(SUBMIT, content=b"Alice: caf\xe9\n", headers=TEXT)
    assert not_utf8.status_code == 422
    assert not_utf8.json()["errors"] == [
        {"field": "script.line[1]", "reason": "not UTF-8 (byte 0xe9)"}
    ]
    assert await _created_count(js) == before, "a refused script publishes nothing"


async def test_a_problem_found_after_parsing_names_the_line_too(api, js):
    before = await _created_count(js)
    script = "# voice Alice: nobody\nAlice: Hi.\nBob: Hello.\nAlice: " + "x" * 2_001
    response = await _post_script(api, script, provider="espeak")
    assert response.status_code == 422, response.text
    named = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert "unknown espeak voice 'nobody'" in named["script.line[1]"]
    assert "2001 characters" in named["script.line[4]"]
    assert await _created_count(js) == before


async def test_a_script_without_a_key_is_a_401_before_it_is_read(stack):
    async with httpx.AsyncClient(base_url=stack.gateway_url) as anonymous:
        response = await anonymous.post(SUBMIT, content=b"no speaker here", headers=TEXT)
    assert response.status_code == 401


async def test_the_same_script_under_the_same_idempotency_key_is_the_same_job(api):
    keyed = {**TEXT, "Idempotency-Key": "script-twice"}
    script = b"Alice: Once only.\nBob: Quite."
    first = await api.post(SUBMIT, content=script, headers=keyed, params={"provider": "espeak"})
    again = await api.post(SUBMIT, content=script, headers=keyed, params={"provider": "espeak"})
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert first.json()["id"] == again.json()["id"]


PARSE = "/api/v1/scripts/parse"


async def test_a_script_is_read_into_turns_without_a_job(api, js):
    # What the web app's "paste a script" box fills its editor from: the same parser's answer.
    before = await _created_count(js)
    script = "# voice 小明: cmn\r\n小明：早安。\r\n[pause 2s]\r\nBob: Morning.\r\n  Coffee?\r\n"
    response = await api.post(PARSE, content=script.encode(), headers=TEXT)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "turns": [
            {"speaker": "小明", "text": "早安。", "pause_after_ms": 2000},
            {"speaker": "Bob", "text": "Morning. Coffee?"},
        ],
        "voices": {"小明": "cmn"},
        "title": None,
    }
    assert await _created_count(js) == before, "reading a script submits nothing"


async def test_a_first_comment_line_titles_the_script_and_its_job(api):
    script = "# 晨間節目\n主持人：各位早安。\n[停頓 1秒]\n來賓：早安。\n"
    parsed = await api.post(PARSE, content=script.encode(), headers=TEXT)
    assert parsed.status_code == 200, parsed.text
    assert parsed.json()["title"] == "晨間節目"
    assert [t.get("pause_after_ms") for t in parsed.json()["turns"]] == [1000, None]

    job = await _post_script(api, script, provider="espeak")
    assert job.status_code == 202, job.text
    assert job.json()["title"] == "晨間節目", "a script job without a title takes the script's"
    named = await _post_script(api, script, provider="espeak", title="另一個標題")
    assert named.json()["title"] == "另一個標題", "a title in the query wins"
    for submitted in (job.json(), named.json()):
        await wait_for_status(api, submitted["id"], {"completed", "failed"}, timeout_s=120)


async def test_reading_a_bad_script_names_its_line(api):
    response = await api.post(PARSE, content=b"Alice: One.\n\nTwo.\n", headers=TEXT)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["script.line[3]"]

    as_json = await api.post(PARSE, json={"turns": []})  # JSON carries {"script": "..."}
    assert as_json.status_code == 422
    assert {e["field"] for e in as_json.json()["errors"]} == {"script", "turns"}
    other = await api.post(PARSE, content=b"<x/>", headers={"content-type": "application/xml"})
    assert other.status_code == 422
    assert other.json()["errors"] == [
        {"field": "Content-Type", "reason": "a script is sent as text/plain, or in JSON"}
    ]


async def test_reading_a_script_needs_a_key(stack):
    async with httpx.AsyncClient(base_url=stack.gateway_url) as anonymous:
        response = await anonymous.post(PARSE, content=b"Alice: Hi.", headers=TEXT)
    assert response.status_code == 401


def test_the_cli_submits_a_script_file(stack, alice, tmp_path):
    as_alice = {"TTSJOBS_API_KEY": alice.key}
    script = tmp_path / "cli-morning.txt"
    script.write_text("Alice: Good morning.\nBob：早上好。\n", encoding="utf-8")
    done = ttsjobs(stack.gateway_url, "submit", str(script), "--provider", "espeak", "--wait",
                   env=as_alice)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "completed" in done.stdout and "2/2 turns" in done.stdout

    bad = tmp_path / "bad.txt"
    bad.write_text("Alice: One.\n\nTwo.\n")
    refused = ttsjobs(stack.gateway_url, "submit", str(bad), env=as_alice)
    assert refused.returncode == 1
    assert "line 3: no speaker" in refused.stdout
