"""The multi-role engine on the real stack: formats and rates, captions, the segment cache,
parallel turns, per-role settings, and cancelling a job while it runs."""

from __future__ import annotations

import io
import itertools
import re

import pytest
import soundfile as sf

from tests.conftest import eventually
from tests.support.jobs import dialogue, stack_bucket, submit, wait_for_status
from ttsjobs.messaging.job_history import read_history

pytestmark = pytest.mark.e2e


def _long_espeak_dialogue(turns: int, tag: str, *, sentences: int = 1) -> dict:
    line = "This is line {i} of conversation {tag}, long enough to take a little while. "
    lines = [
        {"speaker": "Ann" if i % 2 == 0 else "Ben", "text": (line * sentences).format(i=i, tag=tag)}
        for i in range(turns)
    ]  # fmt: skip
    return {
        "provider": "espeak",
        "turns": lines,
        "voice_assignments": {"Ann": {"voice": "en-us"}, "Ben": {"voice": "en-gb-x-rp"}},
    }


@pytest.mark.parametrize(
    ("fmt", "rate", "content_type"),
    [
        ("mp3", None, "audio/mpeg"),
        ("ogg", 44100, "audio/ogg"),
        ("opus", None, "audio/ogg; codecs=opus"),
        ("wav", 16000, "audio/wav"),
    ],
)
async def test_each_format_and_rate_decodes_with_its_type_and_extension(
    api, fmt, rate, content_type
):
    body = dialogue("espeak", output_format=fmt, title=f"format {fmt}")
    if rate:
        body["sample_rate"] = rate
    job = await wait_for_status(api, (await submit(api, body))["id"], {"completed", "failed"})
    assert job["status"] == "completed", job["error_message"]
    response = await api.get(job["links"]["download"])
    assert response.headers["content-type"] == content_type
    assert response.headers["content-disposition"].endswith(f'.{fmt}"')
    samples, decoded_rate = sf.read(io.BytesIO(response.content))
    assert decoded_rate == (rate or (48000 if fmt == "opus" else 22050))
    assert abs(len(samples) / decoded_rate * 1000 - job["result"]["duration_ms"]) < 80


async def test_captions_follow_the_turn_timings(api):
    job = await wait_for_status(api, (await submit(api, dialogue("espeak")))["id"], {"completed"})
    timings = job["result"]["turn_timings"]

    vtt = await api.get(job["links"]["captions_vtt"])
    assert vtt.status_code == 200 and vtt.headers["content-type"].startswith("text/vtt")
    assert vtt.text.startswith("WEBVTT")
    cues = re.findall(
        r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n<v ([^>]+)>", vtt.text
    )
    assert len(cues) == len(timings)
    for cue, timing in zip(cues, timings, strict=True):
        h, m, s, ms, h2, m2, s2, ms2, speaker = cue
        assert int(h) * 3600000 + int(m) * 60000 + int(s) * 1000 + int(ms) == timing["start_ms"]
        assert int(h2) * 3600000 + int(m2) * 60000 + int(s2) * 1000 + int(ms2) == timing["end_ms"]
        assert speaker == timing["speaker"]

    srt = await api.get(job["links"]["captions_srt"])
    assert srt.headers["content-type"].startswith("application/x-subrip")
    assert srt.text.startswith("1\n00:00:00,000 --> ")
    assert "Bob: I did, thank you." in srt.text

    bad = await api.get(f"/api/v1/jobs/{job['id']}/captions", params={"format": "ass"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "format"


async def test_rerun_is_all_cache_and_an_edit_pays_only_for_the_changed_turn(api):
    body = _long_espeak_dialogue(4, "cache")
    first = await wait_for_status(api, (await submit(api, body))["id"], {"completed"})
    assert first["result"]["cache_hits"] == 0

    again = await wait_for_status(api, (await submit(api, body))["id"], {"completed"})
    assert again["result"]["cache_hits"] == 4
    assert all(t["cache_hit"] for t in again["result"]["turn_timings"])

    body["turns"][2]["text"] = "A line that was rewritten after the first run."
    edited = await wait_for_status(api, (await submit(api, body))["id"], {"completed"})
    hits = [t["cache_hit"] for t in edited["result"]["turn_timings"]]
    assert hits == [True, True, False, True]


async def test_espeak_turns_run_in_parallel(api):
    job = await submit(api, _long_espeak_dialogue(8, "parallel", sentences=2))
    done = await wait_for_status(api, job["id"], {"completed"})
    spans = sorted(
        (t["synthesis_offset_ms"], t["synthesis_offset_ms"] + t["synthesis_ms"])
        for t in done["result"]["turn_timings"]
    )
    # Turns overlap: a turn's synthesis begins before the one before it has finished.
    overlapping = sum(1 for a, b in itertools.pairwise(spans) if b[0] < a[1])
    assert overlapping >= 3, spans


async def test_progress_carries_an_eta_once_the_voice_is_measured(api, js):
    await wait_for_status(
        api, (await submit(api, _long_espeak_dialogue(3, "warm")))["id"], {"completed"}
    )
    # Long enough turns (about 80 s of audio each) that the job outlasts the 0.2 s during
    # which a quick job's progress is held back: every turn's event is then published.
    job = await submit(api, _long_espeak_dialogue(6, "eta", sentences=20))
    await wait_for_status(api, job["id"], {"completed"})
    progressed = [e for _, e in await read_history(js, job["id"]) if e.kind == "progressed"]
    assert [e.data.done for e in progressed] == [1, 2, 3, 4, 5, 6]
    etas = [e.data.eta_ms for e in progressed]
    assert etas[-1] == 0 and all(eta is not None for eta in etas)
    assert etas[0] > etas[-2]


async def test_per_role_pitch_volume_and_pauses(api):
    body = dialogue("espeak", pause_ms=800)
    body["voice_assignments"]["Alice"].update(pitch=1.5, volume=0.5)
    body["turns"][0]["pause_after_ms"] = 50
    job = await wait_for_status(api, (await submit(api, body))["id"], {"completed"})
    t = job["result"]["turn_timings"]
    assert t[1]["start_ms"] - t[0]["end_ms"] == 50
    assert t[2]["start_ms"] - t[1]["end_ms"] == 800

    piper = dialogue("piper")
    piper["voice_assignments"]["Bob"]["pitch"] = 1.2
    refused = await api.post("/api/v1/jobs/tts/multi-role", json=piper)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "voice_assignments.Bob.pitch"


async def test_opus_refuses_a_rate_it_cannot_code(api):
    response = await api.post(
        "/api/v1/jobs/tts/multi-role",
        json=dialogue("espeak", output_format="opus", sample_rate=44100),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sample_rate"


async def test_cancelling_a_processing_job_stops_it_with_no_audio(api, js, stack):
    body = _long_espeak_dialogue(40, "cancel-me", sentences=3)
    job = await submit(api, body)

    async def started():
        return (await api.get(f"/api/v1/jobs/{job['id']}")).json()["progress"]["done"] >= 1

    await eventually(started, what="the job under way")
    response = await api.delete(f"/api/v1/jobs/{job['id']}")
    assert response.status_code == 202, response.text
    assert response.json()["cancel_requested_at"] is not None

    cancelled = await wait_for_status(api, job["id"], {"cancelled", "completed"})
    assert cancelled["status"] == "cancelled"
    assert cancelled["progress"]["done"] < 40
    assert cancelled["result"] is None
    kinds = [e.kind for _, e in await read_history(js, job["id"])]
    assert "completed" not in kinds and kinds[-1] == "cancelled"
    download = await api.get(f"/api/v1/jobs/{job['id']}/download")
    assert download.status_code == 409


async def test_a_job_whose_worker_is_killed_resumes_from_its_cached_turns(api, stack):
    body = _long_espeak_dialogue(30, "crash", sentences=4)
    job = await submit(api, body)
    seen: list[int] = []

    async def progressed(at_least: int):
        current = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
        seen.append(current["progress"]["done"])
        return current["progress"]["done"] >= at_least

    await eventually(lambda: progressed(4), what="a few turns done")
    stack.kill_service("synthesis")  # kill -9, engine processes included
    stack.start_service("synthesis")

    async def finished():
        current = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
        seen.append(current["progress"]["done"])
        return current if current["status"] in {"completed", "failed"} else None

    done = await eventually(finished, timeout_s=90, what="the job completing after the crash")
    assert done["status"] == "completed", done["error_message"]
    assert seen == sorted(seen), "progress never goes backwards"
    assert done["result"]["cache_hits"] >= 4, "turns finished before the crash were not redone"

    s3 = stack_bucket(stack)
    key = done["result"]["audio"]["object_key"]
    day = key.rsplit("/", 1)[0]
    keys = [o.object_name for o in s3.list_objects("ttsjobs-audio", prefix=f"{day}/")]
    # One object per job: captions are rendered on request from the timings.
    assert key in keys and not any(k.startswith(f"jobs/{job['id']}/") for k in keys)


async def test_one_users_backlog_does_not_hold_back_another_users_job(stack, js):
    """Submitted as events (the API has one user until accounts exist): alice queues eight
    jobs, then bob one. Bob's job starts as soon as a slot frees, not after alice's eight."""
    from ttsjobs.contracts.job_request import MultiRoleRequest
    from ttsjobs.messaging.job_history import current_state
    from ttsjobs.messaging.publisher import EventPublisher
    from ttsjobs_gateway.publishers import job_created

    publish = EventPublisher(js)
    alice = "a11ce000-0000-4000-8000-000000000001"
    bob = "b0b00000-0000-4000-8000-000000000002"
    body = MultiRoleRequest.model_validate(_long_espeak_dialogue(10, "fair", sentences=2))
    backlog = []
    for _ in range(8):
        event = job_created(body, user_id=alice)
        await publish(event)
        backlog.append(event.job_id)
    bobs = job_created(body, user_id=bob)
    await publish(bobs)

    async def all_done():
        states = [await current_state(js, j) for j in [*backlog, bobs.job_id]]
        return states if all(s and s.is_terminal for s in states) else None

    states = await eventually(all_done, timeout_s=120, what="every job finished")
    assert all(s.status.value == "completed" for s in states)
    bob_started = states[-1].started_at
    later_alice = sorted(s.started_at for s in states[:-1])
    assert sum(1 for t in later_alice if t > bob_started) >= 4, "bob waited behind alice"


async def test_a_second_synthesis_process_shares_the_work(api, stack, js):
    second = stack.start_service(
        "synthesis-2", service="synthesis", extra_env={"TTSJOBS_WORKER_NAME": "second-worker"}
    )
    log = stack.data_dir / "logs" / "synthesis-2.log"

    async def ready():
        assert second.poll() is None, "the second worker exited"
        return log.exists() and "synthesis.ready" in log.read_text()

    try:
        await eventually(ready, timeout_s=60, what="the second worker ready")
        # More jobs than one worker holds at once (TTSJOBS_PREFETCH, 32): the rest go to the
        # other worker through the same durable consumer.
        jobs = [
            (await submit(api, _long_espeak_dialogue(2, f"share-{i}")))["id"] for i in range(40)
        ]
        workers = set()
        for job_id in jobs:
            await wait_for_status(api, job_id, {"completed"}, timeout_s=120)
            for _, event in await read_history(js, job_id):
                if event.kind == "started":
                    workers.add(event.data.worker)
        assert "second-worker" in workers and len(workers) == 2, workers
    finally:
        stack.stop_service("synthesis-2")
