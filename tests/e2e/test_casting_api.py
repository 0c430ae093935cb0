"""POST /api/v1/casting and /casting/tts on the real stack: the voices a job would get, the
same as the job then stores, the same problems as submitting, and no job made."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import create_user, eventually
from tests.support.jobs import SUBMIT, submit
from ttsjobs.contracts.duration import estimated_audio_ms
from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits
from ttsjobs.contracts.single import SingleRequest, expand

pytestmark = pytest.mark.e2e

CASTING = "/api/v1/casting"


def _morning_show() -> dict:
    """Roles that name a voice, wish for one, or say nothing: all three kinds of casting."""
    return {
        "title": f"晨間節目 {uuid.uuid4().hex[:6]}",
        "turns": [
            {"speaker": "主持人", "text": "各位早安，歡迎收聽今天的晨間節目。"},
            {"speaker": "來賓", "text": "早安，很高興來到這裡。"},
            {"speaker": "Reporter", "text": "Good morning, here is the weather."},
            {"speaker": "主持人", "text": "謝謝，我們下一段見。"},
        ],
        "voice_assignments": {
            "主持人": {"language": "zh-TW", "gender": "female"},
            "Reporter": {"voice": "am_michael", "speed": 1.1},
        },
    }


async def test_the_casting_is_what_the_job_then_stores_and_makes_no_job(stack, api):
    user = create_user(stack, f"caster-{uuid.uuid4().hex[:8]}")
    api.headers.update(user.headers)
    body = _morning_show()
    answer = await api.post(CASTING, json=body)
    assert answer.status_code == 200, answer.text
    cast = answer.json()
    assert cast["provider"] == "kokoro"
    assert set(cast["voice_assignments"]) == {"主持人", "來賓", "Reporter"}
    assert cast["voice_assignments"]["Reporter"]["voice"] == "am_michael"
    assert cast["voice_assignments"]["主持人"]["reading"] == "taiwan"
    assert (await api.post(CASTING, json=body)).json() == cast, "casting is repeatable"

    job = await submit(api, body)
    assert job["input"]["provider"] == cast["provider"]
    assert job["input"]["voice_assignments"] == cast["voice_assignments"]
    assert job["warnings"] == cast["warnings"]
    as_cast = MultiRoleRequest.model_validate(job["input"])
    assert cast["estimated_audio_ms"] == estimated_audio_ms(as_cast) > 3000

    async def listed():
        items = (await api.get("/api/v1/jobs")).json()["items"]
        return items if any(i["id"] == job["id"] for i in items) else None

    # Listed once the projection has the real job, which was submitted after the castings.
    items = await eventually(listed, what="the submitted job listed")
    assert [i["id"] for i in items] == [job["id"]], "casting made no job"


async def test_a_long_text_is_cast_as_its_single_voice_job(api):
    body = {
        "title": "長文",
        "text": "今天天氣很好。我們去公園散步吧。" * 3,
        "language": "zh-TW",
        "gender": "male",
    }
    answer = await api.post(f"{CASTING}/tts", json=body)
    assert answer.status_code == 200, answer.text
    cast = answer.json()
    job = (await api.post("/api/v1/jobs/tts", json=body)).json()
    assert list(cast["voice_assignments"]) == ["narrator"]
    narrator = cast["voice_assignments"]["narrator"]
    assert job["single"]["voice"] == narrator["voice"] and narrator["voice"].startswith("zm_")
    ran = expand(SingleRequest.model_validate(job["single"]), RequestLimits())
    assert len(ran.turns) == len(job["sentence_ends"])
    assert cast["estimated_audio_ms"] == estimated_audio_ms(ran)


async def test_the_same_problems_as_submitting_and_nothing_is_made(api):
    body = _morning_show()
    body["voice_assignments"]["Reporter"] = {"voice": "no_such_voice"}
    refused = await api.post(CASTING, json=body)
    submitted = await api.post(SUBMIT, json=body)
    assert refused.status_code == submitted.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["errors"] == submitted.json()["errors"]
    assert refused.json()["errors"][0]["field"] == "voice_assignments.Reporter.voice"

    empty = await api.post(CASTING, json={"turns": []})
    assert empty.status_code == 422
    assert any(e["field"].startswith("turns") for e in empty.json()["errors"])

    single = await api.post(f"{CASTING}/tts", json={"text": "早安。", "voice": "nobody"})
    assert single.status_code == 422
    assert single.json()["errors"][0]["field"] == "voice"


async def test_the_render_time_is_predicted_once_the_engine_is_measured(api):
    async def measured():
        providers = (await api.get("/api/v1/voices", params={"provider": "kokoro"})).json()
        return providers["providers"][0]["realtime_factor"]

    factor = await eventually(measured, what="kokoro's real-time factor", timeout_s=120)
    cast = (await api.post(CASTING, json=_morning_show())).json()
    assert cast["estimated_render_ms"] is not None
    # Four turns on one Kokoro process (the suite's): the factor times the speech, no less.
    assert cast["estimated_render_ms"] >= factor * (cast["estimated_audio_ms"] - 3 * 300) * 0.99
