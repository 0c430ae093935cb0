"""A job's audio larger than one part of a multipart upload: encoded into a file, uploaded in
parts, and downloaded whole."""

from __future__ import annotations

import asyncio
import hashlib
import io

import pytest
import soundfile as sf

from tests.support.jobs import long_tone_job, stack_bucket, submit, wait_for_status
from ttsjobs.storage import PART_SIZE

pytestmark = pytest.mark.e2e


def _long_tone_job(turns: int) -> dict:
    """About two minutes of 48 kHz WAV (11 MB): each turn 8 s of tone, then 4 s of silence."""
    return long_tone_job(turns, pause_ms=4000, title="longer than one part")


async def test_audio_larger_than_one_upload_part_completes_and_downloads_whole(api, stack):
    job = await wait_for_status(
        api, (await submit(api, _long_tone_job(10)))["id"], {"completed", "failed"}
    )
    assert job["status"] == "completed", job["error_message"]
    audio = job["result"]["audio"]
    assert audio["size_bytes"] > PART_SIZE, "the upload went in more than one part"
    info = await asyncio.to_thread(
        stack_bucket(stack).stat_object, audio["bucket"], audio["object_key"]
    )
    assert info.size == audio["size_bytes"]
    assert (info.etag or "").rsplit("-", 1)[-1] == "2", f"a two-part upload: {info.etag}"

    response = await api.get(job["links"]["download"])
    assert response.status_code == 200
    data = response.content
    assert len(data) == audio["size_bytes"]
    digest = audio["object_key"].rsplit("/", 1)[-1].removesuffix(".wav")
    assert hashlib.sha256(data).hexdigest() == digest, "every byte, as hashed when stored"
    samples, rate = sf.read(io.BytesIO(data), dtype="int16")
    assert rate == 48000
    assert round(len(samples) * 1000 / rate) == job["result"]["duration_ms"] == 116_000
    last = job["result"]["turn_timings"][-1]
    assert last["end_ms"] == job["result"]["duration_ms"]
