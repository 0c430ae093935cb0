"""Blended and saved voices on the real stack: a kokoro blend is a voice a job can name, saved
under a name per user (/api/v1/voices/mine), listed in the user's catalogue, resolved into its
formula before casting, so a job's stored input runs again the same after the name changes."""

from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest

from tests.support.jobs import submit, wait_for_status

pytestmark = pytest.mark.e2e

MINE = "/api/v1/voices/mine"
BLEND = "zf_xiaoxiao(2)+zf_xiaoyi(1)"
OTHER = "zm_yunxi(1)+zf_xiaoxiao(1)"


def _job(voice: str) -> dict:
    return {
        "provider": "kokoro",
        "title": "a blend",
        "turns": [{"speaker": "A", "text": "你好，歡迎收聽。"}],
        "voice_assignments": {"A": {"voice": voice}},
        "output_format": "wav",
    }


async def _audio_of(api: httpx.AsyncClient, body: dict) -> tuple[dict, str]:
    """The completed job, and its audio's hash."""
    job = await wait_for_status(api, (await submit(api, body))["id"], {"completed", "failed"})
    assert job["status"] == "completed", job
    audio = await api.get(f"/api/v1/jobs/{job['id']}/download")
    assert audio.status_code == 200, audio.text
    return job, hashlib.sha256(audio.content).hexdigest()


async def test_a_saved_blend_is_stored_as_its_formula_and_replays_the_same(api, bob_api):
    name = f"duo {uuid.uuid4().hex[:6]}"
    put = await api.put(f"{MINE}/{name}", json={"voice": "zf_xiaoyi(0.5)+zf_xiaoxiao(1)"})
    assert put.status_code == 201, put.text
    assert put.json()["voice"] == BLEND  # in its one spelling
    assert (put.json()["provider"], put.json()["language"]) == ("kokoro", "zh-CN")

    listed = (await api.get("/api/v1/voices", params={"provider": "kokoro"})).json()
    kokoro = listed["providers"][0]["voices"]
    assert {"id": name, "formula": BLEND} in [
        {"id": v["id"], "formula": v["formula"]} for v in kokoro
    ]

    job, heard = await _audio_of(api, _job(name))
    assert job["input"]["voice_assignments"]["A"]["voice"] == BLEND, "the job keeps the formula"

    changed = await api.put(f"{MINE}/{name}", json={"voice": OTHER})
    assert changed.status_code == 200, changed.text
    _, other = await _audio_of(api, _job(name))
    assert other != heard, "the name now stands for another blend"
    _, again = await _audio_of(api, job["input"])
    assert again == heard, "running the stored input again sounds as it did"

    # Bob has no such name: his job, his preview and his list know nothing of alice's voice.
    assert (await bob_api.get(f"{MINE}/{name}")).status_code == 404
    assert name not in [v["name"] for v in (await bob_api.get(MINE)).json()["voices"]]
    refused = await bob_api.post("/api/v1/jobs/tts/multi-role", json=_job(name))
    assert refused.status_code == 422, refused.text
    assert "voice_assignments.A.voice" in refused.text

    assert (await api.delete(f"{MINE}/{name}")).status_code == 204
    assert (await api.get(f"{MINE}/{name}")).status_code == 404


@pytest.mark.parametrize(
    ("voice", "says"),
    [
        ("zf_xiaoxiao(2)+zz_nobody(1)", "zz_nobody"),
        ("zf_xiaoxiao(0)+zf_xiaoyi(1)", "weight"),
        ("zf_xiaoxiao(2)+zf_xiaoyi(1", "not a voice with an optional weight"),
    ],
)
async def test_a_bad_formula_is_a_problem_naming_the_field(api, voice, says):
    job = await api.post("/api/v1/jobs/tts/multi-role", json=_job(voice))
    assert job.status_code == 422, job.text
    assert job.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"]: e["reason"] for e in job.json()["errors"]}
    assert says in fields["voice_assignments.A.voice"], fields
    for refused in (
        await api.put(f"{MINE}/bad", json={"voice": voice}),
        await api.post("/api/v1/voices/preview", json={"voice": voice}),
    ):
        assert refused.status_code == 422, refused.text
        assert says in {e["field"]: e["reason"] for e in refused.json()["errors"]}["voice"]


async def test_a_saved_name_may_not_be_a_catalogue_voice(api):
    taken = await api.put(f"{MINE}/af_heart", json={"voice": BLEND})
    assert taken.status_code == 422, taken.text
    assert [e["field"] for e in taken.json()["errors"]] == ["name"]
