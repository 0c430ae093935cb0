"""Fault drills on the real stack, services as separate processes: whatever breaks, no accepted
job is lost or done twice. In file order: a poison job, the projection stopped and started,
PostgreSQL down, nats-server restarted, and a 2,000-job burst on two synthesis processes.
(kill -9 of synthesis mid-job is the drill in tests/e2e/test_synthesis_engine.py: the job
completes from its cached turns, with one audio object and progress that never goes backwards.)

"Catches up exactly" is checked the strictest way there is: the live tables must equal a replay of
the whole stream into an empty database."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter

import asyncpg
import httpx
import pytest
from websockets.asyncio.client import connect

from tests.conftest import eventually
from tests.support.jobs import (
    SUBMIT,
    projection_caught_up,
    read_model_rows,
    replayed_rows,
    stack_bucket,
    submit,
    wait_for_status,
)
from ttsjobs.contracts import subjects

pytestmark = pytest.mark.e2e


def tone_job(voice: str = "mid", *, turns: int = 2, tag: str = "") -> dict:
    lines = [
        {"speaker": "A" if i % 2 == 0 else "B", "text": f"{tag} turn {i} {uuid.uuid4()}"}
        for i in range(turns)
    ]
    voices = {"A": {"voice": voice}, "B": {"voice": "high"}}
    return {
        "provider": "tone",
        "title": f"drill {tag}",
        "turns": lines,
        # Only speakers that have a turn may have a voice.
        "voice_assignments": {t["speaker"]: voices[t["speaker"]] for t in lines},
    }


async def _kinds_by_job(
    js, job_ids: set[str], workers: Counter | None = None
) -> dict[str, Counter]:
    """Every event of these jobs in the stream, counted by kind (and JobStarted by worker)."""
    kinds: dict[str, Counter] = {job: Counter() for job in job_ids}
    sub = await js.subscribe(subjects.ALL_JOB_EVENTS, stream=subjects.STREAM, ordered_consumer=True)
    last = (await js.stream_info(subjects.STREAM)).state.last_seq
    try:
        while True:
            msg = await sub.next_msg(timeout=10)
            _, _, job_id, kind = msg.subject.split(".")
            if job_id in kinds:
                kinds[job_id][kind] += 1
                if kind == "started" and workers is not None:
                    workers[json.loads(msg.data)["data"]["worker"]] += 1
            if msg.metadata.sequence.stream >= last:
                return kinds
    finally:
        await sub.unsubscribe()


async def _until_ready(stack, name: str) -> None:
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{stack.probe_ports[name]}", timeout=5
    ) as probe:

        async def ready() -> bool:
            try:
                return (await probe.get("/readyz")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(ready, timeout_s=180, what=f"{name} ready")


async def test_a_poison_job_fails_after_its_deliveries_and_blocks_nobody(api, js):
    poison = await submit(api, tone_job("poison", turns=1, tag="poison"))
    # Jobs behind it go through while it is retried.
    others = [await submit(api, tone_job(tag=f"behind {i}")) for i in range(3)]
    for job in others:
        await wait_for_status(api, job["id"], {"completed"}, timeout_s=60)
    assert (await api.get(f"/api/v1/jobs/{poison['id']}")).json()["status"] == "processing"

    failed = await wait_for_status(api, poison["id"], {"failed", "completed"}, timeout_s=120)
    assert failed["status"] == "failed"
    assert "gave up after 5 attempts" in failed["error_message"]
    kinds = (await _kinds_by_job(js, {poison["id"]}))[poison["id"]]
    assert kinds["failed"] == 1 and kinds["completed"] == 0 and kinds["started"] == 1


async def _table_equals_a_replay(stack, js, db) -> None:
    await projection_caught_up(js, db)
    name = f"drill_{uuid.uuid4().hex[:8]}"
    assert await read_model_rows(db) == await replayed_rows(
        stack, js, db, database=name, consumer=name
    )


async def test_the_table_catches_up_exactly_after_the_projection_was_stopped(api, stack, js, db):
    before = [await submit(api, tone_job(turns=8, tag=f"proj {i}")) for i in range(5)]
    stack.stop_service("projection")  # SIGTERM while those jobs run
    try:
        during = [await submit(api, tone_job(turns=8, tag=f"proj off {i}")) for i in range(5)]
        # Jobs go on without the projection; the gateway shows them from their events.
        for job in before + during:
            done = await wait_for_status(api, job["id"], {"completed", "failed"}, timeout_s=60)
            assert done["status"] == "completed"
        rows = await db.fetchval(
            "SELECT count(*) FROM tts_jobs WHERE id = ANY($1::uuid[])", [j["id"] for j in during]
        )
        assert rows == 0, "nothing wrote the table while the projection was stopped"
    finally:
        stack.start_service("projection")
    await _table_equals_a_replay(stack, js, db)
    completed = await db.fetchval(
        "SELECT count(*) FROM tts_jobs WHERE id = ANY($1::uuid[]) AND status = 'completed'",
        [j["id"] for j in before + during],
    )
    assert completed == 10


async def test_with_postgresql_down_jobs_are_accepted_and_reads_say_503(api, stack, js):
    """Reads that need the table say 503. A job this gateway accepted is followed from its
    events (the tap keeps it current in the live job cache), so its client sees it through to
    the end meanwhile."""
    from ttsjobs.messaging.job_history import current_state

    await submit(api, tone_job(tag="before the outage"))  # the gateway has seen alice's key
    stack.stop_postgres()
    try:
        accepted = [await submit(api, tone_job(turns=4, tag=f"pg down {i}")) for i in range(5)]
        # A job this gateway did not accept (another gateway's, say): only the table has it.
        for path in (f"/api/v1/jobs/{uuid.uuid4()}", "/api/v1/jobs"):
            response = await api.get(path)
            assert response.status_code == 503, (path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["type"] == "urn:ttsjobs:problem:store-unavailable"
            assert "PostgreSQL" in response.json()["detail"]
            assert response.headers["retry-after"]
        ready = await api.get("/readyz")
        assert ready.status_code == 503 and "postgresql" in ready.text

        # Synthesis needs no database: the jobs run to the end meanwhile.
        async def all_finished():
            states = [await current_state(js, j["id"]) for j in accepted]
            return all(s and s.is_terminal for s in states) and states

        states = await eventually(all_finished, timeout_s=60, what="jobs finished in the stream")
        assert {s.status.value for s in states} == {"completed"}
        for job in accepted:  # still down: each job's own GET shows it done
            shown = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
            assert shown["status"] == "completed" and shown["result"]["duration_ms"] > 0
    finally:
        stack.start_postgres()

    for job in accepted:
        assert (await wait_for_status(api, job["id"], {"completed"}, timeout_s=60))["id"]
    db = await asyncpg.connect(stack.env["TTSJOBS_DATABASE_URL"])
    try:
        await _table_equals_a_replay(stack, js, db)
    finally:
        await db.close()


async def test_jobs_accepted_before_a_nats_restart_all_complete(api, stack, js, alice):
    jobs = [await submit(api, tone_job(turns=12, tag=f"nats {i}")) for i in range(6)]

    async def under_way():
        return (await api.get(f"/api/v1/jobs/{jobs[0]['id']}")).json()["progress"]["done"] > 0

    await eventually(under_way, what="the first job under way")
    stack.restart_nats()  # file storage: the stream and the consumers' positions survive
    finished = [
        await wait_for_status(api, job["id"], {"completed", "failed"}, timeout_s=120)
        for job in jobs
    ]
    assert [j["status"] for j in finished] == ["completed"] * len(jobs)
    kinds = await _kinds_by_job(js, {j["id"] for j in jobs})
    assert all(c["created"] == 1 and c["completed"] == 1 for c in kinds.values()), kinds
    # And the system takes new work afterwards, and the gateway's live feed relays it.
    feed_url = stack.gateway_url.replace("http://", "ws://") + "/api/v1/jobs/events"
    async with connect(feed_url, additional_headers=alice.headers) as ws:
        assert json.loads(await ws.recv())["type"] == "snapshot"
        after = await submit(api, tone_job(tag="after the restart"))

        async def completed_in_feed() -> None:
            async for raw in ws:
                message = json.loads(raw)
                if message.get("job_id") == after["id"] and message["event"]["type"].endswith(
                    ".completed.v2"
                ):
                    return

        await asyncio.wait_for(completed_in_feed(), timeout=60)


async def test_a_burst_of_2000_jobs_on_two_workers_completes_every_one_exactly_once(
    api, stack, js, db
):
    stack.start_service(
        "synthesis-2", service="synthesis", extra_env={"TTSJOBS_WORKER_NAME": "synthesis-2"}
    )
    try:
        # Both workers up before the burst: the first alone can finish it before the second
        # has loaded its engines.
        await _until_ready(stack, "synthesis-2")
        gate, run = asyncio.Semaphore(32), uuid.uuid4().hex[:8]

        async def one(i: int) -> str:
            # As a careful client does: a dropped connection is retried with the same
            # Idempotency-Key, so a retry can never make a second job.
            body, key = tone_job(turns=1, tag=f"burst {i}"), {"Idempotency-Key": f"{run}-{i}"}
            async with gate:
                for attempt in range(3):
                    try:
                        response = await api.post(SUBMIT, json=body, headers=key)
                        break
                    except httpx.TransportError:
                        if attempt == 2:
                            raise
                assert response.status_code == 202, response.text
                return response.json()["id"]

        job_ids = set(await asyncio.gather(*(one(i) for i in range(2000))))
        assert len(job_ids) == 2000

        async def all_completed():
            done = await db.fetchval(
                "SELECT count(*) FROM tts_jobs WHERE id = ANY($1::uuid[]) AND status = 'completed'",
                list(job_ids),
            )
            return done == 2000 or None

        await eventually(all_completed, timeout_s=600, what="2000 jobs completed in the table")
    finally:
        stack.stop_service("synthesis-2")

    workers: Counter = Counter()
    kinds = await _kinds_by_job(js, job_ids, workers)
    assert {job: (c["created"], c["completed"], c["failed"]) for job, c in kinds.items()} == {
        job: (1, 1, 0) for job in job_ids
    }, "each job created once and completed once in the stream"
    rows = await db.fetchval(
        "SELECT count(*) FROM tts_jobs WHERE id = ANY($1::uuid[])", list(job_ids)
    )
    assert rows == 2000
    s3 = stack_bucket(stack)
    named = await db.fetch(
        "SELECT job_id::text, object_key FROM audio_files WHERE job_id = ANY($1::uuid[])",
        list(job_ids),
    )

    def audio_objects() -> set[str]:
        objects = s3.list_objects("ttsjobs-audio", prefix="audio/", recursive=True)
        return {o.object_name for o in objects if not o.is_dir}

    stored = await asyncio.to_thread(audio_objects)
    with_audio = {row["job_id"] for row in named if row["object_key"] in stored}
    assert job_ids <= with_audio, f"{len(job_ids - with_audio)} jobs have no audio"
    assert len(workers) == 2 and min(workers.values()) > 0, f"both workers took part: {workers}"
