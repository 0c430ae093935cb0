"""Word timing through the whole system, read by espeak (quick): stored as the job's own object
beside the audio (never in the event), offsets into the text as sent (a single_tts job's whole
text, Traditional characters, a number read as words), and served as word-level WebVTT, word SRT
and ElevenLabs-shaped alignment; a job whose engine times nothing answers 409, and deleting the
job removes its timing."""

from __future__ import annotations

import asyncio
import re

import pytest
from minio.error import S3Error

from tests.conftest import eventually
from tests.support.jobs import dialogue, stack_bucket, stored_timing, submit, wait_for_status

pytestmark = pytest.mark.e2e

TEXT = "銀行行長在重慶長大。\n\nIt was 40–60°C today. Then it rained!"


async def _single(api, text: str, voice: str) -> dict:
    response = await api.post("/api/v1/jobs/tts", json={"text": text, "voice": voice,
                                                       "provider": "espeak"})  # fmt: skip
    assert response.status_code == 202, response.text
    return await wait_for_status(api, response.json()["id"], {"completed", "failed"})


async def test_a_single_jobs_words_point_into_its_whole_text_and_are_served(stack, api):
    # Mandarin first, then English: one espeak voice cannot read both, so two jobs share one
    # text's shape; the English one carries the number, the Mandarin one the characters.
    zh = await _single(api, TEXT.split("\n\n")[0] + "你好！", "cmn")
    en = await _single(api, "Hello there. " + TEXT.split("\n\n")[1], "en-us")
    for job in (zh, en):
        assert job["status"] == "completed", job.get("error_message")
        assert job["result"]["timing"]["size_bytes"] > 0
        assert job["links"]["captions_words"].endswith("format=vtt-words")
    text = en["single"]["text"]
    assert len(en["sentence_ends"]) == 3  # its sentences are its turns...
    stored = stored_timing(stack, en)
    assert stored["offsets"] == "text"  # ...but offsets point into the whole text
    words = [w for turn in stored["turns"] for w in turn["words"]]
    assert [text[w["char_start"] : w["char_end"]] for w in words] == [w["text"] for w in words]
    assert [w["text"] for w in words] == [
        "Hello", "there", "It", "was", "40–60°C", "today", "Then", "it", "rained",
    ]  # fmt: skip
    spans = en["result"]["turn_timings"]
    for turn in stored["turns"]:  # each word within its turn's place in the audio
        span = spans[turn["index"]]
        assert all(span["start_ms"] <= w["start_ms"] < w["end_ms"] <= span["end_ms"]
                   for w in turn["words"])  # fmt: skip
    assert [w["start_ms"] for w in words] == sorted(w["start_ms"] for w in words)

    # Traditional characters, each timed and pointing at itself.
    zh_text = zh["single"]["text"]
    characters = [c for turn in stored_timing(stack, zh)["turns"] for c in turn["characters"]]
    assert [c["text"] for c in characters] == list("銀行行長在重慶長大你好")
    assert all(zh_text[c["char_start"] : c["char_end"]] == c["text"] for c in characters)

    # Alignment: every character of the text as sent, with times that never go back.
    response = await api.get(f"/api/v1/jobs/{zh['id']}/captions", params={"format": "alignment"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert "".join(body["characters"]) == zh_text
    starts, ends = body["character_start_times_seconds"], body["character_end_times_seconds"]
    assert starts == sorted(starts) and all(s <= e for s, e in zip(starts, ends, strict=True))
    assert ends[-1] <= zh["result"]["duration_ms"] / 1000
    # Word WebVTT: a cue per sentence, a karaoke timestamp before each later word.
    vtt = (await api.get(f"/api/v1/jobs/{en['id']}/captions?format=vtt-words")).text
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == 3
    assert re.search(r"It <\d\d:\d\d:\d\d\.\d{3}>was <\d\d:\d\d:\d\d\.\d{3}>40–60°C", vtt), vtt
    # Word SRT: a cue per word, the number as written.
    srt = (await api.get(f"/api/v1/jobs/{en['id']}/captions?format=srt-words")).text
    assert srt.count(" --> ") == len(words) and "\n40–60°C\n" in srt
    head = await api.head(f"/api/v1/jobs/{en['id']}/captions?format=srt-words")
    assert int(head.headers["content-length"]) == len(srt.encode())


async def test_a_job_whose_engine_times_nothing_has_no_word_captions(stack, api):
    job = await submit(api, dialogue("tone"))
    done = await wait_for_status(api, job["id"], {"completed"})
    assert done["result"]["timing"] is None and done["links"]["captions_words"] is None
    for fmt in ("vtt-words", "srt-words", "alignment"):
        response = await api.get(f"/api/v1/jobs/{job['id']}/captions", params={"format": fmt})
        assert response.status_code == 409, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "no word timing" in response.json()["title"]
    assert (await api.get(f"/api/v1/jobs/{job['id']}/captions?format=vtt")).status_code == 200


async def test_deleting_a_job_removes_its_timing(stack, api):
    job = await submit(api, dialogue("espeak"))
    done = await wait_for_status(api, job["id"], {"completed"})
    bucket, key = done["result"]["audio"]["bucket"], done["result"]["timing"]["key"]
    s3 = stack_bucket(stack)
    await asyncio.to_thread(s3.stat_object, bucket, key)
    assert (await api.delete(f"/api/v1/jobs/{job['id']}")).status_code == 204

    async def gone() -> bool:
        try:
            await asyncio.to_thread(s3.stat_object, bucket, key)
        except S3Error as err:
            return err.code in ("NoSuchKey", "NoSuchObject", "ResourceNotFound")
        return False

    await eventually(gone, timeout_s=30, what="the timing object removed")
