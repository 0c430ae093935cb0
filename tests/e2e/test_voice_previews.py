"""POST /api/v1/voices/preview on the real stack: a short line in the voice, as WAV, made by a
job's engines, cached in the bucket for everyone, and never a job."""

from __future__ import annotations

import io
import random
import uuid

import httpx
import pytest
import soundfile as sf

from tests.conftest import Stack, client_of, create_user, eventually
from tests.support import listening
from tests.support.jobs import submit, wait_for_status

pytestmark = pytest.mark.e2e

PREVIEW = "/api/v1/voices/preview"
AFTER_THE_PREVIEWS = {
    "provider": "tone",
    "title": "after the previews",
    "turns": [{"speaker": "A", "text": "la la la"}],
    "voice_assignments": {"A": {"voice": "mid"}},
}


async def _voice(api: httpx.AsyncClient, voice_id: str) -> dict:
    catalogue = (await api.get("/api/v1/voices")).json()
    return next(v for p in catalogue["providers"] for v in p["voices"] if v["id"] == voice_id)


def _audio(answer: httpx.Response) -> tuple[bytes, int, float]:
    """The WAV's bytes, rate and length in seconds."""
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "audio/wav"
    assert answer.headers["cache-control"] == "private, max-age=86400"
    samples, rate = sf.read(io.BytesIO(answer.content), dtype="int16")
    return answer.content, rate, len(samples) / rate


def _unheard_speed() -> float:
    # A speed no earlier preview of this session used: the bucket has none of it.
    return random.choice([x / 20 for x in range(11, 39) if x != 20])


async def test_a_preview_is_a_sample_line_in_the_voices_rate_and_reading(api):
    voice = await _voice(api, "zf_xiaoxiao")
    taiwan = await api.post(PREVIEW, json={"voice": "zf_xiaoxiao", "reading": "taiwan"})
    data, rate, seconds = _audio(taiwan)
    assert rate == voice["sample_rate"]
    assert 2.0 < seconds < 10.0, "a sentence or two, not a job"
    heard = listening.transcribe(data, "zh")  # in Simplified script
    assert "欢迎收听" in heard and "星期" in heard, heard
    mainland = await api.post(PREVIEW, json={"voice": "zf_xiaoxiao", "reading": "mainland"})
    assert _audio(mainland)[0] != data, "each standard has its own line"
    english = await api.post(PREVIEW, json={"voice": "af_heart", "speed": 1.5})
    _, rate, fast = _audio(english)
    _, _, usual = _audio(await api.post(PREVIEW, json={"voice": "af_heart"}))
    assert rate == (await _voice(api, "af_heart"))["sample_rate"]
    assert fast < usual * 0.85, (fast, usual)


async def test_previews_are_no_ones_jobs(stack: Stack):
    listener = create_user(stack, f"listener-{uuid.uuid4().hex[:8]}")
    async with client_of(stack, listener) as api:
        for body in ({"voice": "zm_yunxi", "reading": "taiwan"}, {"voice": "en-us"}):
            _audio(await api.post(PREVIEW, json=body))
        # A real job after the previews: once the list shows it, it would show them too.
        job = await submit(api, AFTER_THE_PREVIEWS)
        await wait_for_status(api, job["id"], {"completed"})
        listed = (await api.get("/api/v1/jobs")).json()["items"]
        assert [j["id"] for j in listed] == [job["id"]]


async def test_the_cache_serves_everyone_while_synthesis_is_down_and_a_miss_is_a_503(
    api, bob_api, stack: Stack
):
    body = {"voice": "af_heart", "speed": _unheard_speed()}
    alices, _, _ = _audio(await api.post(PREVIEW, json=body))
    uncached = {**body, "voice": "am_michael"}
    stack.stop_service("synthesis")
    try:
        bobs, _, _ = _audio(await bob_api.post(PREVIEW, json=body))
        assert bobs == alices, "another user is served the same preview, from the bucket"
        missed = await bob_api.post(PREVIEW, json=uncached)
        assert missed.status_code == 503, missed.text
        assert missed.headers["content-type"] == "application/problem+json"
        assert int(missed.headers["retry-after"]) > 0
    finally:
        stack.start_service("synthesis")

    async def made() -> bool:
        return (await bob_api.post(PREVIEW, json=uncached)).status_code == 200

    await eventually(made, timeout_s=90, interval_s=0.5, what="synthesis making previews again")


async def test_bad_input_names_the_field(api):
    for body, field in (
        ({"voice": "nobody"}, "voice"),
        ({"voice": "zf_xiaoxiao", "provider": "piper"}, "voice"),
        ({"voice": "zf_xiaoxiao", "speed": 3.0}, "speed"),  # Kokoro speaks at 0.5-2x
        ({"voice": "zf_xiaoxiao", "speed": 9}, "speed"),
        ({"voice": "zf_xiaoxiao", "reading": "beijing"}, "reading"),
        ({}, "voice"),
    ):
        answer = await api.post(PREVIEW, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
