"""Chapters and stems on the real stack: a script's "## title" lines and a turn's chapter field
become chapters that other programs find in the MP3 (mutagen's ID3 CHAP/CTOC, libavformat
through PyAV, and ffprobe) and that the API serves as WebVTT chapter cues and
Podcasting 2.0 JSON; a job that asks for stems gets a zip of one track per speaker, each as
long as the audio, that sum back to the audio (mastering none: the audio is the pre-master
mix) within −60 dB, and the zip goes when the job is deleted. A job without them is a 404."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import subprocess
import zipfile

import av
import httpx
import numpy as np
import pytest
import soundfile as sf
from minio.error import S3Error
from mutagen.id3 import ID3

from tests.conftest import eventually
from tests.support.jobs import dialogue, stack_bucket, submit, wait_for_status

pytestmark = pytest.mark.e2e

JOBS = "/api/v1/jobs"
SCRIPT = """# Morning show
# voice Alice: mid
# voice Bob: high
## Intro
Alice: Good morning.
Bob: Morning to you.
## 第二章 天氣
Alice: It rains today.
"""


async def _script_job(api: httpx.AsyncClient) -> dict:
    response = await api.post(
        f"{JOBS}/tts/multi-role",
        params={"provider": "tone", "output_format": "mp3"},
        content=SCRIPT.encode(),
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 202, response.text
    return await wait_for_status(api, response.json()["id"], {"completed", "failed"}, timeout_s=60)


def _problem(response: httpx.Response) -> str:
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()["type"]


async def test_script_chapters_are_in_the_mp3_and_served_as_vtt_and_json(api):
    job = await _script_job(api)
    assert job["status"] == "completed", job["error_message"]
    result, timings = job["result"], job["result"]["turn_timings"]
    assert [t["chapter"] for t in job["input"]["turns"]] == ["Intro", None, "第二章 天氣"]
    assert result["chapters"] == [
        {"title": "Intro", "start_ms": 0},
        {"title": "第二章 天氣", "start_ms": timings[2]["start_ms"]},
    ]
    audio = (await api.get(f"{JOBS}/{job['id']}/download")).content
    assert len(audio) == result["audio"]["size_bytes"]

    tags = ID3(io.BytesIO(audio))
    toc = tags["CTOC:toc"]
    chaps = [tags[f"CHAP:{element}"] for element in toc.child_element_ids]
    assert [(c.start_time, c.end_time, str(c.sub_frames["TIT2"])) for c in chaps] == [
        (0, timings[2]["start_ms"], "Intro"),
        (timings[2]["start_ms"], result["duration_ms"], "第二章 天氣"),
    ]
    with av.open(io.BytesIO(audio)) as container:
        found = sorted((float(c["start"] * c["time_base"]), c["metadata"]["title"])
                       for c in container.chapters())  # fmt: skip
    assert found == [(0.0, "Intro"), (timings[2]["start_ms"] / 1000, "第二章 天氣")]
    ffprobe = shutil.which("ffprobe")
    assert ffprobe, "ffprobe comes with Debian's ffmpeg, which .ci/run installs"
    probed = await asyncio.to_thread(
        subprocess.run,
        [ffprobe, "-v", "error", "-show_chapters", "-of", "json", "-"],
        input=audio, capture_output=True, check=True, timeout=30,
    )  # fmt: skip
    titles = [c["tags"]["title"] for c in json.loads(probed.stdout)["chapters"]]
    assert sorted(titles) == sorted(["Intro", "第二章 天氣"])

    links = job["links"]
    vtt = await api.get(links["chapters_vtt"])
    assert vtt.status_code == 200 and vtt.headers["content-type"].startswith("text/vtt")
    assert vtt.text.startswith("WEBVTT\n\n1\n00:00:00.000 --> ")
    assert vtt.text.splitlines()[8] == "第二章 天氣"
    podcast = await api.get(links["chapters_json"])
    assert podcast.headers["content-type"].startswith("application/json+chapters")
    body = podcast.json()
    assert body["version"] == "1.2.0" and body["title"] == "Morning show"
    assert [(c["startTime"], c["title"]) for c in body["chapters"]] == [
        (0, "Intro"),
        (timings[2]["start_ms"] / 1000, "第二章 天氣"),
    ]
    assert links["stems"] is None
    assert _problem(await api.get(f"{JOBS}/{job['id']}/stems")).endswith("job-file-not-found")


def _stored(stack, bucket: str, key: str) -> bool:
    try:
        stack_bucket(stack).stat_object(bucket, key)
    except S3Error as err:
        if err.code in ("NoSuchKey", "NoSuchObject", "ResourceNotFound"):
            return False
        raise
    return True


async def test_stems_sum_back_to_the_mix_and_go_with_the_job(stack, api):
    body = dialogue("tone", output_format="wav", stems=True)
    body["turns"][1]["chapter"] = "Bob's part"
    plain = await submit(api, dialogue("tone", title="no chapters"))
    job = await wait_for_status(api, (await submit(api, body))["id"], {"completed", "failed"})
    assert job["status"] == "completed", job["error_message"]
    result = job["result"]
    assert result["chapters"] == [
        {"title": "Bob's part", "start_ms": result["turn_timings"][1]["start_ms"]}
    ]
    mix, rate = sf.read(io.BytesIO((await api.get(f"{JOBS}/{job['id']}/download")).content))
    head = await api.head(job["links"]["stems"])
    assert head.status_code == 200 and int(head.headers["content-length"]) > 0
    stems = await api.get(job["links"]["stems"])
    assert stems.status_code == 200 and stems.headers["content-type"] == "application/zip"
    assert len(stems.content) == result["stems"]["size_bytes"]
    with zipfile.ZipFile(io.BytesIO(stems.content)) as archive:
        assert archive.namelist() == ["01-Alice.flac", "02-Bob.flac"]
        tracks = [sf.read(io.BytesIO(archive.read(name))) for name in archive.namelist()]
    assert all(track_rate == rate and len(t) == len(mix) for t, track_rate in tracks)
    total = sum(t for t, _ in tracks)
    error_db = 10 * np.log10(np.sum((total - mix) ** 2) / np.sum(mix**2))
    assert error_db < -60, error_db

    plain_job = await wait_for_status(api, plain["id"], {"completed", "failed"})
    assert plain_job["links"]["chapters_vtt"] is None
    missing = await api.get(f"{JOBS}/{plain['id']}/chapters", params={"format": "json"})
    assert _problem(missing).endswith("job-file-not-found")

    bucket, key = result["audio"]["bucket"], result["stems"]["key"]
    assert _stored(stack, bucket, key)
    assert (await api.delete(f"{JOBS}/{job['id']}")).status_code == 204

    async def removed() -> bool:
        return not await asyncio.to_thread(_stored, stack, bucket, key)

    await eventually(removed, timeout_s=30, what="the stems removed with their job")
