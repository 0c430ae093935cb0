"""The OpenAI-compatible speech endpoint, driven by the official ``openai`` client as Open
WebUI and scripts drive it: the audio decodes to the job's own length (mp3 streamed as the job
runs, wav whole), the job is an ordinary single_tts job in the user's history, OpenAI's voice
names map to voices, speeds are clamped to the voice and say so, and every error (401, 400,
404, 413, 503) comes in OpenAI's shape."""

from __future__ import annotations

import io
import uuid
import wave
from pathlib import Path

import httpx
import openai
import pytest
from openai import OpenAI

from tests.conftest import eventually_sync
from tests.support.decoding import decoded
from tests.support.gateways import start_second_gateway
from tests.support.listening import transcribe

pytestmark = pytest.mark.e2e
JOB_ID = "x-ttsjobs-job-id"
# Several sentences for kokoro: each a turn, so live segments land one by one while the job
# runs well past the live hold (TTSJOBS_LIVE_AFTER_MS).
SENTENCES = (
    "The harbour was quiet when the first boat came in. Gulls circled above the nets."
    " A boy ran along the pier to meet his father. The sun rose slowly over the hills."
    " Somewhere a bell rang twice. Then the market began to fill with voices."
)


def openai_client(stack, key: str, base_url: str | None = None) -> OpenAI:
    return OpenAI(base_url=f"{base_url or stack.gateway_url}/v1", api_key=key, max_retries=0)


def rest(stack, user) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url, headers=user.headers, timeout=30)


def completed_job(api: httpx.Client, job_id: str) -> dict:
    def done() -> dict | None:
        job = api.get(f"/api/v1/jobs/{job_id}").json()
        return job if job["status"] in {"completed", "failed", "cancelled"} else None

    job = eventually_sync(done, timeout_s=120, what=f"job {job_id} ended")
    assert job["status"] == "completed", job["error_message"]
    return job


def seconds_of(data: bytes) -> float:
    samples, rate = decoded(data)
    return len(samples) / rate


def test_speech_in_mp3_and_wav_is_the_jobs_audio_in_the_users_history(stack, alice):
    client = openai_client(stack, alice.key)
    text = f"Good morning, take {uuid.uuid4().hex[:6]}. The rain has stopped."
    with rest(stack, alice) as api:
        for fmt in ("mp3", "wav"):
            speech = client.audio.speech.create(
                model="espeak", voice="en-us", input=text, response_format=fmt
            )
            job = completed_job(api, speech.response.headers[JOB_ID])
            assert job["job_type"] == "single_tts" and job["single"]["text"] == text
            assert job["single"]["output_format"] == fmt
            expected = job["result"]["duration_ms"] / 1000
            # The final MP3 says its delay and padding (LAME's header); live segments, which a
            # slower job streams instead, play the encoder's delay and the last frame's padding.
            assert abs(seconds_of(speech.content) - expected) < (0.1 if fmt == "mp3" else 0.002)
            if fmt == "wav":
                with wave.open(io.BytesIO(speech.content)) as read:
                    assert read.getnframes() / read.getframerate() == pytest.approx(
                        expected, abs=0.002
                    )
            listed = api.get("/api/v1/jobs", params={"q": text[:30]}).json()["items"]
            assert job["id"] in [item["id"] for item in listed]
            download = api.get(f"/api/v1/jobs/{job['id']}/download")
            assert download.status_code == 200
            if fmt == "wav":  # an mp3 may have come from the live segments
                assert download.content == speech.content


def test_mp3_streams_while_the_job_is_still_processing(stack, alice):
    client = openai_client(stack, alice.key)
    text = f"Take {uuid.uuid4().hex[:6]}. {SENTENCES}"  # new text: nothing from the cache
    with rest(stack, alice) as api, client.audio.speech.with_streaming_response.create(
        model="kokoro", voice="af_heart", input=text, response_format="mp3"
    ) as streamed:  # fmt: skip
        job_id = streamed.headers[JOB_ID]
        assert streamed.headers["content-type"] == "audio/mpeg"
        chunks = streamed.iter_bytes()
        first = next(chunks)
        status_at_first = api.get(f"/api/v1/jobs/{job_id}").json()["status"]
        body = first + b"".join(chunks)
        job = completed_job(api, job_id)
    assert status_at_first == "processing"
    # The live segments, back to back: one MP3 as long as the job's audio (the encoder's delay
    # and the last frame's padding more).
    assert 0 <= seconds_of(body) - job["result"]["duration_ms"] / 1000 < 0.15
    # And they say the text, first sentence to last, in order.
    heard = transcribe(body, "en").lower()
    assert "harbo" in heard and "market" in heard, heard
    assert heard.index("harbo") < heard.index("market"), heard


def test_a_client_that_leaves_mid_stream_leaves_the_job_to_finish(stack, alice):
    client = openai_client(stack, alice.key)
    text = f"Take {uuid.uuid4().hex[:6]}. {SENTENCES}"
    with client.audio.speech.with_streaming_response.create(
        model="kokoro", voice="af_bella", input=text
    ) as streamed:
        job_id = streamed.headers[JOB_ID]
        next(streamed.iter_bytes())
    # Closed after its first chunk: the job goes on, and the gateway answers as before.
    with rest(stack, alice) as api:
        completed_job(api, job_id)
        assert api.get("/readyz").status_code == 200


def test_openai_names_map_and_speeds_are_clamped_to_the_voice(stack, alice):
    client = openai_client(stack, alice.key)
    speech = client.audio.speech.create(
        model="tts-1", voice="alloy", input="Hello there.", speed=0.25,
        response_format="flac", extra_body={"stream": False},
    )  # fmt: skip
    headers = speech.response.headers
    assert headers["x-ttsjobs-speed-clamped"] == "0.25" and headers["x-ttsjobs-speed"] == "0.5"
    assert headers["content-type"] == "audio/flac" and "content-length" in headers
    with rest(stack, alice) as api:
        job = completed_job(api, headers[JOB_ID])
    assert job["single"]["voice"] == "af_alloy" and job["single"]["speed"] == 0.5
    assert seconds_of(speech.content) == pytest.approx(
        job["result"]["duration_ms"] / 1000, abs=0.002
    )


def test_models_and_voices_are_listed(stack, alice):
    client = openai_client(stack, alice.key)
    models = [model.id for model in client.models.list()]
    assert {"tts-1", "tts-1-hd", "kokoro", "espeak"} <= set(models)
    voices = client.get("/audio/voices", cast_to=object)
    assert isinstance(voices, dict)
    ids = {voice["id"]: voice["name"] for voice in voices["voices"]}
    assert {"alloy", "af_heart", "zf_xiaoxiao", "en-us"} <= set(ids)
    kokoro_only = client.get("/audio/voices?model=kokoro", cast_to=object)
    assert isinstance(kokoro_only, dict)
    assert {v.get("provider") for v in kokoro_only["voices"]} == {"kokoro"}


def test_errors_come_in_openais_shape(stack, alice):
    with pytest.raises(openai.AuthenticationError) as refused:
        openai_client(stack, "not-a-key").audio.speech.create(
            model="tts-1", voice="alloy", input="Hello."
        )
    assert refused.value.code == "invalid_api_key" and refused.value.type
    assert set(refused.value.response.json()["error"]) == {"message", "type", "param", "code"}

    client = openai_client(stack, alice.key)
    for asked, param in [({"speed": 5.0}, "speed"), ({"voice": "no-such-voice"}, "voice"),
                         ({"model": "tts-9"}, "model"), ({"input": ""}, "input"),
                         ({"response_format": "ogg"}, "response_format")]:  # fmt: skip
        body = {"model": "tts-1", "voice": "alloy", "input": "Hello.", **asked}
        with pytest.raises(openai.BadRequestError) as bad:
            client.audio.speech.create(**body)  # type: ignore[arg-type]
        assert bad.value.param == param, bad.value.body
        assert bad.value.type == "invalid_request_error"

    with rest(stack, alice) as api:
        missing = api.get("/v1/audio/nothing")
        assert missing.status_code == 404 and missing.json()["error"]["message"]
        # Other routes keep their problems.
        problem = api.get("/api/v1/jobs/nothing")
        assert problem.headers["content-type"] == "application/problem+json"


async def test_a_job_not_started_in_time_is_a_503_and_goes_on(stack, alice):
    url = await start_second_gateway(
        stack,
        "gateway-openai",
        {"TTSJOBS_OPENAI_START_WAIT_S": "1", "TTSJOBS_MAX_BODY_BYTES": "4096"},
    )
    client = openai_client(stack, alice.key, base_url=url)
    try:
        with pytest.raises(openai.APIStatusError) as too_large:
            client.audio.speech.create(model="tts-1", voice="alloy", input="x" * 5000)
        assert too_large.value.status_code == 413 and too_large.value.code == "request_too_large"

        stack.stop_service("synthesis")  # nothing starts while it is away
        try:
            with pytest.raises(openai.InternalServerError) as waited:
                client.audio.speech.create(model="espeak", voice="en-us", input="Still here.")
        finally:
            stack.start_service("synthesis")
        refused = waited.value
        assert refused.status_code == 503 and refused.code == "job-not-started"
        assert int(refused.response.headers["retry-after"]) > 0
        with rest(stack, alice) as api:
            completed_job(api, refused.response.headers[JOB_ID])  # the job went on
    finally:
        stack.stop_service("gateway-openai")


def test_the_readmes_example_runs_as_written(stack, alice, tmp_path, monkeypatch):
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## OpenAI-compatible speech", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(example.replace("http://127.0.0.1:8000", stack.gateway_url), {"KEY": alice.key})
    assert seconds_of((tmp_path / "morning.mp3").read_bytes()) > 1
