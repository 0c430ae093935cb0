"""POST → background synthesis → GET completed → download, with both real providers."""

from __future__ import annotations

import io
import itertools

import pytest
import soundfile as sf

from tests.support.jobs import UNSAYABLE, dialogue, submit, wait_for_status

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("provider", ["piper", "espeak"])
async def test_dialogue_completes_and_its_audio_downloads(api, provider):
    body = dialogue(provider)
    accepted = await submit(api, body)
    assert accepted["status"] == "pending"
    assert accepted["progress"] == {"done": 0, "total": 3, "eta_ms": None}

    job = await wait_for_status(api, accepted["id"], {"completed", "failed"})
    assert job["status"] == "completed", job["error_message"]
    assert [{"speaker": t["speaker"], "text": t["text"]} for t in job["input"]["turns"]] == body[
        "turns"
    ]
    assert job["progress"] == {"done": 3, "total": 3, "eta_ms": 0}
    assert job["started_at"] and job["completed_at"]
    assert job["created_at"] <= job["started_at"] <= job["completed_at"]
    assert job["elapsed"] > 0

    result = job["result"]
    timings = result["turn_timings"]
    assert [t["speaker"] for t in timings] == ["Alice", "Bob", "Alice"]
    for earlier, later in itertools.pairwise(timings):
        assert earlier["end_ms"] < later["start_ms"], "a pause separates the turns"
    assert timings[-1]["end_ms"] == result["duration_ms"]

    download = await api.get(job["links"]["download"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "audio/wav"
    assert download.headers["content-disposition"].endswith('.wav"')
    assert len(download.content) == result["audio"]["size_bytes"]
    samples, rate = sf.read(io.BytesIO(download.content), dtype="int16")
    assert rate == result["audio"]["sample_rate"]
    assert abs(len(samples) * 1000 / rate - result["duration_ms"]) <= 2
    # Real speech, not silence: every turn's span has sound in it.
    for t in timings:
        span = samples[t["start_ms"] * rate // 1000 : t["end_ms"] * rate // 1000]
        assert abs(span.astype("int32")).max() > 1000


async def test_flac_output_decodes(api):
    job = await submit(api, dialogue("espeak", output_format="flac"))
    done = await wait_for_status(api, job["id"], {"completed", "failed"})
    assert done["status"] == "completed", done["error_message"]
    download = await api.get(done["links"]["download"])
    assert download.headers["content-type"] == "audio/flac"
    samples, rate = sf.read(io.BytesIO(download.content))
    assert abs(len(samples) * 1000 / rate - done["result"]["duration_ms"]) <= 2


async def test_download_honours_range(api):
    job = await submit(api, dialogue("espeak"))
    done = await wait_for_status(api, job["id"], {"completed"})
    url = done["links"]["download"]
    whole = (await api.get(url)).content

    part = await api.get(url, headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-1099/{len(whole)}"
    assert part.content == whole[100:1100]

    tail = await api.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == whole[-10:]

    beyond = await api.get(url, headers={"Range": f"bytes={len(whole)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-type"] == "application/problem+json"
    assert beyond.headers["content-range"] == f"bytes */{len(whole)}"


async def test_download_before_completion_is_a_conflict(api, stack):
    stack.stop_service("synthesis")
    try:
        job = await submit(api, dialogue("espeak"))
        response = await api.get(f"/api/v1/jobs/{job['id']}/download")
        assert response.status_code == 409
        assert response.json()["job_status"] == "pending"
    finally:
        stack.start_service("synthesis")
    await wait_for_status(api, job["id"], {"completed"})


async def test_a_turn_the_engine_cannot_say_fails_the_job_with_its_reason(api):
    body = dialogue("piper")
    body["turns"][1]["text"] = UNSAYABLE  # piper has no phonemes to say
    job = await submit(api, body)
    failed = await wait_for_status(api, job["id"], {"completed", "failed"})
    assert failed["status"] == "failed"
    assert "turn 2 (Bob)" in failed["error_message"]
    assert failed["result"] is None and failed["links"]["download"] is None
    assert failed["completed_at"] is not None
    response = await api.get(f"/api/v1/jobs/{job['id']}/download")
    assert response.status_code == 409


async def test_espeak_speaks_mandarin_and_cantonese_with_a_variant(api):
    body = {
        "provider": "espeak",
        "turns": [
            {"speaker": "Mei", "text": "你好，今天天气很好。"},
            {"speaker": "Wing", "text": "係呀，我哋去飲茶啦。"},
        ],
        "voice_assignments": {"Mei": {"voice": "cmn"}, "Wing": {"voice": "yue+f3"}},
    }
    job = await submit(api, body)
    done = await wait_for_status(api, job["id"], {"completed", "failed"})
    assert done["status"] == "completed", done["error_message"]
    assert [t["speaker"] for t in done["result"]["turn_timings"]] == ["Mei", "Wing"]
    assert all(t["end_ms"] - t["start_ms"] > 500 for t in done["result"]["turn_timings"])
