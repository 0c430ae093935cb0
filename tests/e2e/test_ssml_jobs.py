"""SSML on the real stack: `Content-Type: application/ssml+xml` on both submit routes becomes a
job whose stored input holds the turns, pauses, prosody and markup of the document, and whose
warnings list what it could not read; one voice to /jobs/tts is a single_tts job, several a
multi-role job that says so; hostile SSML is a 422 naming `body` that publishes nothing."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest

from tests.support.jobs import SUBMIT, wait_for_status
from ttsjobs.contracts import subjects

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"
SINGLE = "/api/v1/jobs/tts"
SSML = {"content-type": "application/ssml+xml"}
DIALOGUE = """<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">
  <voice name="en-US-Wavenet-D">
    Hello <sub alias="World Wide Web Consortium">W3C</sub>.<break time="700ms"/>
    <prosody rate="fast">Quickly now.</prosody>
  </voice>
  <voice name="cmn">你好。<emphasis>再見。</emphasis></voice>
</speak>"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<speak>&lol3;</speak>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE speak [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><speak>&xxe;</speak>"""


async def _post(api: httpx.AsyncClient, path: str, ssml: str | bytes, **query: str):
    body = ssml.encode() if isinstance(ssml, str) else ssml
    return await api.post(path, content=body, params=query, headers=SSML)


async def _created_count(js) -> int:
    info = await js.stream_info(subjects.STREAM, subjects_filter=subjects.every_job("created"))
    return sum((info.state.subjects or {}).values())


async def test_an_ssml_dialogue_becomes_a_multi_role_job_that_completes(api):
    response = await _post(api, SUBMIT, DIALOGUE, provider="espeak", title="ssml dialogue")
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["job_type"] == "multi_role_tts" and job["title"] == "ssml dialogue"
    hello, quickly, chinese = job["input"]["turns"]
    assert (hello["speaker"], hello["text"], hello["pause_after_ms"]) == (
        "en-US-Wavenet-D",
        "Hello W3C.",
        700,
    )
    [alias] = hello["spoken_as"]
    assert (alias["char_start"], alias["char_end"]) == (6, 9)
    assert alias["alias"] == "World Wide Web Consortium"
    assert (quickly["text"], quickly["speed"]) == ("Quickly now.", 1.55)
    assert (chinese["speaker"], chinese["text"]) == ("cmn", "你好。再見。")
    voices = job["input"]["voice_assignments"]
    assert voices["cmn"]["voice"] == "cmn", "a catalogue id is the role's voice"
    assert voices["en-US-Wavenet-D"]["voice"], "a vendor's name is cast"
    assert "<emphasis> is not read; its text is read as written" in job["warnings"]

    done = await wait_for_status(api, job["id"], {"completed", "failed"}, timeout_s=120)
    assert done["status"] == "completed", done["error_message"]
    assert "<emphasis> is not read; its text is read as written" in done["warnings"]
    first, second, _ = done["result"]["turn_timings"]
    assert second["start_ms"] - first["end_ms"] >= 700, "the break is in the audio"


async def test_one_voice_to_jobs_tts_is_a_single_tts_job_that_completes(api):
    ssml = (
        '<speak><voice name="en-US-Wavenet-D"><p>One sentence.</p><p>Another.</p></voice></speak>'
    )
    response = await _post(api, SINGLE, ssml, provider="espeak", output_format="mp3")
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["job_type"] == "single_tts" and job["warnings"] == []
    # Run again from its turns: a text alone would not give the paragraph's pause.
    assert job["single"] is None
    assert [t["text"] for t in job["input"]["turns"]] == ["One sentence. ", "Another."]
    assert job["input"]["output_format"] == "mp3"
    done = await wait_for_status(api, job["id"], {"completed", "failed"}, timeout_s=120)
    assert done["status"] == "completed", done["error_message"]
    first, second = done["result"]["turn_timings"]
    assert second["start_ms"] - first["end_ms"] >= 600, "a paragraph's pause is in the audio"


async def test_several_voices_to_jobs_tts_make_a_multi_role_job_and_the_answer_says_so(api):
    ssml = '<speak>Good morning.<voice name="en-us">Morning!</voice></speak>'
    response = await _post(api, SINGLE, ssml, provider="espeak", voice="en-us")
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["job_type"] == "multi_role_tts"
    assert job["warnings"][0] == "2 voices: run as a multi-role job (multi_role_tts)"
    assert [t["speaker"] for t in job["input"]["turns"]] == ["narrator", "en-us"]
    assert job["input"]["voice_assignments"]["narrator"]["voice"] == "en-us"


async def test_the_same_ssml_under_the_same_idempotency_key_is_the_same_job(api):
    keyed = {**SSML, "Idempotency-Key": f"ssml-{uuid.uuid4()}"}
    body = b"<speak><s>Once only.</s><s>Quite.</s></speak>"
    first, again = [
        await api.post(SINGLE, content=body, headers=keyed, params={"provider": "espeak"})
        for _ in range(2)
    ]
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert first.json()["id"] == again.json()["id"]
    other = await api.post(SINGLE, content=body.replace(b"Quite", b"Quiet"), headers=keyed,
                           params={"provider": "espeak"})  # fmt: skip
    assert other.status_code == 422, "another document under the same key is refused"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    ("body", "reason"),
    [(BILLION_LAUGHS, "a DTD"), (EXTERNAL, "a DTD"),
     (b"<speak>" + b"<p>" * 10_000 + b"x" + b"</p>" * 10_000 + b"</speak>", "nest deeper"),
     (b"<speak>a\x00b</speak>", "not well-formed"), (b"<html>Hi</html>", "root element")],
)  # fmt: skip
async def test_hostile_ssml_is_a_422_naming_the_body_and_makes_no_job(api, js, body, reason):
    before = await _created_count(js)
    for path in (SINGLE, SUBMIT):
        response = await _post(api, path, body, provider="espeak")
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        [error] = response.json()["errors"]
        assert error["field"] == "body" and reason in error["reason"], error
        assert "root:" not in response.text
    assert await _created_count(js) == before, "a refused document publishes nothing"


async def test_a_slow_prosody_counts_towards_the_audio_limit_and_makes_no_job(api, js):
    # 26,000 characters: 99 minutes at the voice's pace, 199 at x-slow (0.5), past the
    # 3 hours a job may last; refused at submit, not hours into synthesis.
    text = "今天天氣很好，我們去公園散步吧。長長的路上有很多人。" * 1000
    before = await _created_count(js)
    slow = f'<speak><voice name="cmn"><prosody rate="x-slow">{text}</prosody></voice></speak>'
    response = await _post(api, SINGLE, slow, provider="espeak")  # past a dialogue's 20,000
    assert response.status_code == 422, response.text[:300]
    [error] = response.json()["errors"]
    assert "hours of audio; at most 3 hours" in error["reason"], error
    assert await _created_count(js) == before


async def test_ssml_without_a_key_is_a_401_before_it_is_read(stack):
    async with httpx.AsyncClient(base_url=stack.gateway_url) as anonymous:
        response = await anonymous.post(SINGLE, content=BILLION_LAUGHS, headers=SSML)
    assert response.status_code == 401


def _readme_example() -> str:
    text = README.read_text()
    section = text[text.index("## SSML from Polly, Azure and Google") :]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, "README lost its SSML example"
    return match.group(1)


async def test_the_readmes_ssml_example_runs_as_written(stack, alice, api):
    # A Taiwan reading of one place and digits said one by one, on kokoro, as the README has it.
    auth = f"Authorization: Bearer {alice.key}"
    env = {**os.environ, "API": f"{stack.gateway_url}/api/v1", "AUTH": auth}
    done = await asyncio.to_thread(
        subprocess.run, ["bash", "-euo", "pipefail", "-c", _readme_example()],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    job = json.loads(done.stdout)
    assert (job["job_type"], job["provider"]) == ("single_tts", "kokoro"), job
    assert "".join(t["text"] for t in job["input"]["turns"]) == "他是一位行家。電話是0912345678。"
    assert job["input"]["output_format"] == "mp3" and job["single"] is None
    assert not [w for w in job["warnings"] if w.startswith("<")], "every element was read"
    finished = await wait_for_status(api, job["id"], {"completed", "failed"}, timeout_s=120)
    assert finished["status"] == "completed", finished["error_message"]
    first, second = finished["result"]["turn_timings"]
    assert second["start_ms"] - first["end_ms"] >= 500, "the break is in the audio"
