"""Listening while a job renders: its live playlist grows while the job runs, each snapshot a
prefix of the next with the same target duration, no segment longer (a long turn in several), and
ends with EXT-X-ENDLIST when the job completes; its segments decode, back to back, to as long as
the job's audio; another user's job's playlist and segments are a 404. A cancelled job's live
audio goes from the bucket, as a deleted one's does."""

from __future__ import annotations

import asyncio
import io
import itertools
import time
import uuid
from datetime import datetime

import av
import httpx
import pytest

from tests.conftest import eventually
from tests.support.jobs import dialogue, stack_bucket, submit, wait_for_status
from ttsjobs.jobs.live_audio import TARGET_DURATION_S, live_folder

pytestmark = pytest.mark.e2e
SENTENCE = "The morning train left the station slowly while the city was still asleep. "


def _four_piper_turns() -> dict:
    """Three turns of a sentence, then one of about a minute of speech (seconds to synthesize
    here, however quick the machine): the first three land while the last one renders. New
    text each run: no turn comes from the segment cache."""
    take = uuid.uuid4().hex[:8]
    body = dialogue("piper", title="live")
    texts = [SENTENCE] * 3 + [SENTENCE * 12]
    body["turns"] = [
        {"speaker": "Alice" if i % 2 else "Bob", "text": f"Take {take}, part {i}. {text}"}
        for i, text in enumerate(texts)
    ]
    return body


def _parse(text: str) -> tuple[list[tuple[float, str]], bool]:
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U"
    # RFC 8216: the same in every version of the playlist, and no EXTINF rounds above it.
    assert f"#EXT-X-TARGETDURATION:{TARGET_DURATION_S}" in lines, text
    segments = []
    for i, line in enumerate(lines):
        if line.startswith("#EXTINF:"):
            segments.append((float(line.removeprefix("#EXTINF:").rstrip(",")), lines[i + 1]))
    assert all(round(seconds) <= TARGET_DURATION_S for seconds, _ in segments), text
    return segments, "#EXT-X-ENDLIST" in lines


async def _playlist(api: httpx.AsyncClient, job_id: str) -> tuple[list[tuple[float, str]], bool]:
    response = await api.get(f"/api/v1/jobs/{job_id}/live.m3u8")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.apple.mpegurl")
    return _parse(response.text)


async def _watch(api: httpx.AsyncClient, job_id: str, *, timeout_s: float = 120) -> list:
    """Every distinct snapshot of the playlist until it ends."""
    seen: list[tuple[list[tuple[float, str]], bool]] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        snapshot = await _playlist(api, job_id)
        if not seen or snapshot != seen[-1]:
            seen.append(snapshot)
        if snapshot[1]:
            return seen
        await asyncio.sleep(0.05)
    raise AssertionError(f"no EXT-X-ENDLIST in {timeout_s} s: {seen[-1:]}")


def _decoded_frames(stream: bytes) -> tuple[int, int]:
    with av.open(io.BytesIO(stream), format="mp3") as container:
        frames = [frame for frame in container.decode(audio=0)]
    return sum(frame.samples for frame in frames), frames[0].sample_rate


async def test_the_playlist_grows_while_the_job_runs_and_ends_whole(api, bob_api):
    job_id = (await submit(api, _four_piper_turns()))["id"]
    seen = await _watch(api, job_id)
    job = await wait_for_status(api, job_id, {"completed", "failed"})
    assert job["status"] == "completed", job["error_message"]

    final, ended = seen[-1]
    # The minute-long last turn comes in segments of at most the target: well over four in all.
    assert ended and len(final) >= 4 + 60 // TARGET_DURATION_S - 2, [s for s, _ in final]
    assert [uri for _, uri in final] == [f"live/{i}.mp3" for i in range(len(final))]
    growing = [segments for segments, ended in seen if not ended and segments]
    assert any(0 < len(s) < len(final) for s in growing), f"heard only whole: {len(growing)}"
    for before, after in itertools.pairwise(seen):
        assert after[0][: len(before[0])] == before[0], "each snapshot a prefix of the next"

    parts = []
    for _, uri in final:
        response = await api.get(f"/api/v1/jobs/{job_id}/{uri}")
        assert response.status_code == 200 and response.headers["content-type"] == "audio/mpeg"
        parts.append(response.content)
    samples, rate = await asyncio.to_thread(_decoded_frames, b"".join(parts))
    listed_s = sum(seconds for seconds, _ in final)
    assert abs(samples / rate - listed_s) < 0.001, "each EXTINF is its segment's length"
    # The stream leads with the MP3 encoder's delay (about 50 ms) and pads its last frame.
    assert 0 <= listed_s - job["result"]["duration_ms"] / 1000 <= 0.1

    assert (await bob_api.get(f"/api/v1/jobs/{job_id}/live.m3u8")).status_code == 404
    assert (await bob_api.get(f"/api/v1/jobs/{job_id}/live/0.mp3")).status_code == 404
    assert (await api.get(f"/api/v1/jobs/{job_id}/live/{len(final)}.mp3")).status_code == 404


def _live_objects(stack, user_id: str, job: dict) -> list[str]:
    folder = live_folder(user_id, datetime.fromisoformat(job["created_at"]), job["id"])
    found = stack_bucket(stack).list_objects(
        job["result"]["audio"]["bucket"], prefix=folder, recursive=True
    )
    # SeaweedFS keeps a folder whose objects are gone: only objects count.
    return [item.object_name for item in found if not item.is_dir]


async def test_a_job_done_within_the_hold_stores_nothing_live(api, stack, alice):
    job_id = (await submit(api, dialogue("tone", title="done at once")))["id"]
    job = await wait_for_status(api, job_id, {"completed"})
    assert await asyncio.to_thread(_live_objects, stack, alice.user_id, job) == []


async def test_a_deleted_jobs_live_audio_goes_with_it(api, stack, alice):
    job_id = (await submit(api, _four_piper_turns()))["id"]
    job = await wait_for_status(api, job_id, {"completed"})

    def listed() -> list[str]:
        return _live_objects(stack, alice.user_id, job)

    segments, _ = await _playlist(api, job_id)
    assert len(await asyncio.to_thread(listed)) == 1 + len(segments), "the manifest and segments"
    assert (await api.delete(f"/api/v1/jobs/{job_id}")).status_code == 204

    async def gone() -> bool:
        return not await asyncio.to_thread(listed)

    await eventually(gone, timeout_s=30, what="the live segments removed")


async def test_a_cancelled_jobs_live_audio_goes_when_it_is_cancelled(api, stack, alice):
    body = _four_piper_turns()
    body["turns"] += [{**turn, "text": f"{turn['text']} Again, {n}."}
                      for n, turn in enumerate(body["turns"][-1:] * 5)]  # fmt: skip
    job_id = (await submit(api, body))["id"]  # minutes of speech: the cancel lands mid-job

    async def heard() -> bool:
        return bool((await _playlist(api, job_id))[0])

    await eventually(heard, timeout_s=60, what="a first live segment")
    assert (await api.post(f"/api/v1/jobs/{job_id}/cancel")).status_code == 202
    job = await wait_for_status(api, job_id, {"cancelled"})

    def listed() -> list[str]:
        folder = live_folder(alice.user_id, datetime.fromisoformat(job["created_at"]), job_id)
        bucket = stack.env.get("TTSJOBS_S3_BUCKET", "ttsjobs-audio")
        found = stack_bucket(stack).list_objects(bucket, prefix=folder, recursive=True)
        return [item.object_name for item in found if not item.is_dir]

    async def gone() -> bool:
        return not await asyncio.to_thread(listed)

    await eventually(gone, timeout_s=30, what="the cancelled job's live segments removed")
    assert (await api.get(f"/api/v1/jobs/{job_id}/live/0.mp3")).status_code == 404
