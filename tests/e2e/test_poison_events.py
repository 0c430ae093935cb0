"""A poison event (one the read model can never store) is dead-lettered, and nothing else stops.

The poison is published straight into the job stream, as a well-formed JobCreated whose title
holds a NUL (PostgreSQL text cannot): the gateway's own validation is not what is tested here,
the projection's guard is. Synthesis runs that job like any other.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import uuid

import httpx
import pytest

from tests.conftest import eventually
from tests.support.jobs import dialogue, submit, wait_for_status
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.messaging.dead_letters import DeadLetter, read_letters, remove_letter
from ttsjobs_gateway.publishers import job_created

pytestmark = pytest.mark.e2e

PLACEHOLDER = "poison-title-placeholder"
NUL_TITLE = "Two\u0000friends"


async def _publish_poison(js, user_id: str) -> str:
    """A JobCreated as the gateway would publish it, but with a NUL in the title."""
    event = job_created(
        MultiRoleRequest.model_validate(dialogue("espeak", title=PLACEHOLDER)), user_id=user_id
    )
    raw = event.model_dump_json().replace(PLACEHOLDER, "Two\\u0000friends").encode()
    await js.publish(
        subjects.job_event(event.job_id, "created"),
        raw,
        stream=subjects.STREAM,
        headers={"Nats-Msg-Id": event.id},
    )
    return event.job_id


async def _letters_of(js, job_id: str) -> list[DeadLetter]:
    return [x async for x in read_letters(js, consumers=("projection",)) if x.job_id == job_id]


async def _letter(js, job_id: str, *, timeout_s: float = 60) -> DeadLetter:
    async def one():
        found = await _letters_of(js, job_id)
        return found[0] if found else None

    return await eventually(one, timeout_s=timeout_s, what=f"a dead letter of job {job_id}")


def _cli_env(stack, **extra: str) -> dict[str, str]:
    keys = ("TTSJOBS_NATS_URL", "TTSJOBS_DATABASE_URL")
    return {**os.environ, **{k: stack.env[k] for k in keys}, **extra}


async def _cli(stack, *args: str, timeout_s: float = 180, **env: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ttsjobs_cli.main", "projection", *args,
        env=_cli_env(stack, **env), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        output, _ = await asyncio.wait_for(proc.communicate(), timeout=timeout_s)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError(f"`ttsjobs projection {' '.join(args)}` still running") from None
    assert proc.returncode is not None
    return proc.returncode, output.decode()


def _probe(stack) -> str:
    return f"http://127.0.0.1:{stack.probe_ports['projection']}"


def _dead_letter_count(metrics_text: str) -> float:
    match = re.search(r'^ttsjobs_dead_letters_total\{consumer="projection"\} (\S+)$',
                      metrics_text, re.M)  # fmt: skip
    return float(match.group(1)) if match else 0.0


@pytest.fixture(scope="module")
def poison_job(stack, alice) -> str:
    """One poison job for the module, dead-lettered by the live projection; its letter is
    removed at the end (it can never be replayed) so that later tests see a clean projection."""
    import nats

    async def publish() -> str:
        nc = await nats.connect(stack.env["TTSJOBS_NATS_URL"])
        try:
            return await _publish_poison(nc.jetstream(), alice.user_id)
        finally:
            await nc.close()

    async def remove(job_id: str) -> None:
        nc = await nats.connect(stack.env["TTSJOBS_NATS_URL"])
        try:
            for letter in await _letters_of(nc.jetstream(), job_id):
                await remove_letter(nc.jetstream(), letter)
        finally:
            await nc.close()

    job_id = asyncio.run(publish())
    yield job_id
    asyncio.run(remove(job_id))


async def test_a_poison_event_is_dead_lettered_and_others_jobs_go_on(
    stack, poison_job, api, bob_api, js, db
):
    # Another user's job, submitted after the poison: it reaches the table and completes there.
    other = await submit(bob_api, dialogue("espeak", title="after the poison"))
    await wait_for_status(bob_api, other["id"], {"completed"}, timeout_s=120)

    async def in_table():
        row = await db.fetchrow("SELECT status FROM tts_jobs WHERE id = $1", other["id"])
        return row is not None and row["status"] == "completed"

    await eventually(in_table, timeout_s=60, what="the later job completed in the table")

    letter = await _letter(js, poison_job)
    assert letter.stream == subjects.STREAM and ".created." in letter.event_type
    assert "0x00" in letter.error, letter.error
    assert letter.subject == subjects.job_event(poison_job, "created")

    # The table holds a marked stand-in (the NUL made storable); the API answers from events.
    row = await db.fetchrow(
        "SELECT title, read_model_error FROM tts_jobs WHERE id = $1", poison_job
    )
    assert row is not None and row["title"] == "Two\ufffdfriends"
    assert "could not store" in row["read_model_error"]
    job = await wait_for_status(api, poison_job, {"completed"}, timeout_s=120)
    assert job["title"] == NUL_TITLE, "the title as the events hold it"
    assert "could not store" in job["read_model_error"]
    listed = (await api.get("/api/v1/jobs", params={"limit": 100})).json()["items"]
    assert poison_job in [j["id"] for j in listed], "lists still show the job"
    assert (await bob_api.get(f"/api/v1/jobs/{other['id']}")).json()["read_model_error"] is None

    # Visible: the metric, and /readyz says degraded and why, while staying ready for traffic.
    async with httpx.AsyncClient(base_url=_probe(stack), timeout=10) as probe:
        assert _dead_letter_count((await probe.get("/metrics")).text) >= 1
        ready = await probe.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "degraded"
    assert "dead-lettered" in " ".join(ready.json()["degraded"])

    # The operator's list names it.
    code, output = await _cli(stack, "dead-letters")
    assert code == 0, output
    assert poison_job in output and str(letter.letter_seq) in output


async def test_a_dead_letter_replays_once_its_cause_is_fixed(stack, api, js, db):
    """The cause here is a trigger that refuses one title; removing it is the fix."""
    title = f"refused-{uuid.uuid4().hex[:8]}"
    await db.execute(
        """
        CREATE OR REPLACE FUNCTION poison_test_refuse() RETURNS trigger AS $$
        BEGIN
            IF NEW.title LIKE 'refused-%' THEN
                RAISE EXCEPTION 'refused by the test: %', NEW.title
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER poison_test BEFORE INSERT OR UPDATE ON tts_jobs
            FOR EACH ROW EXECUTE FUNCTION poison_test_refuse();
        """
    )
    try:
        job = await submit(api, dialogue("espeak", title=title))
        letter = await _letter(js, job["id"])
        assert "refused by the test" in letter.error
        done = await wait_for_status(api, job["id"], {"completed"}, timeout_s=120)
        assert done["title"] == title  # from the events: the table has no row for it

        code, output = await _cli(stack, "dead-letters", "replay", str(letter.letter_seq))
        assert code == 1 and "still failing" in output, output
        assert await _letters_of(js, job["id"]), "kept while it still fails"
    finally:
        await db.execute("DROP TRIGGER IF EXISTS poison_test ON tts_jobs")
        await db.execute("DROP FUNCTION IF EXISTS poison_test_refuse()")

    code, output = await _cli(stack, "dead-letters", "replay", str(letter.letter_seq))
    assert code == 0 and "letter removed" in output, output
    assert not await _letters_of(js, job["id"])
    row = await db.fetchrow(
        "SELECT status, title, read_model_error FROM tts_jobs WHERE id = $1", job["id"]
    )
    assert dict(row) == {"status": "completed", "title": title, "read_model_error": None}
    again = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
    assert again["status"] == "completed" and again["read_model_error"] is None


async def _rebuild_leftovers(js, db) -> tuple[list[str], int]:
    names = [
        info.name
        for stream in (subjects.STREAM, subjects.ACCOUNTS_STREAM)
        for info in await js.consumers_info(stream)
        if info.name.startswith("rebuild_")
    ]
    schemas = await db.fetchval("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild_%'")
    return names, schemas


async def test_rebuild_skips_the_poison_event_and_leaves_nothing_behind(stack, poison_job, js, db):
    await _letter(js, poison_job)
    code, output = await _cli(stack, "rebuild", timeout_s=240)
    assert code == 0 and "rebuilt the read model" in output, output[-3000:]
    assert await _rebuild_leftovers(js, db) == ([], 0)
    # The rebuilt table has the marked stand-in again, and the event still one letter.
    row = await db.fetchrow("SELECT read_model_error FROM tts_jobs WHERE id = $1", poison_job)
    assert row is not None and "could not store" in row["read_model_error"]
    assert len(await _letters_of(js, poison_job)) == 1


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
async def test_an_interrupted_rebuild_removes_its_consumers_and_schema(
    stack, poison_job, js, db, sig
):
    await _letter(js, poison_job)
    # Many tries of the poison before its letter: the rebuild is surely still running below.
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ttsjobs_cli.main", "projection", "rebuild",
        env=_cli_env(stack, TTSJOBS_DEAD_LETTER_AFTER="100"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:

        async def started():
            names, _ = await _rebuild_leftovers(js, db)
            return any(n.endswith("-accounts") for n in names) and len(names) >= 2

        await eventually(started, timeout_s=60, what="the rebuild's consumers")
        assert proc.returncode is None, "the rebuild must still be running"
        proc.send_signal(sig)
        output, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode != 0, output.decode()[-2000:]
    assert await _rebuild_leftovers(js, db) == ([], 0), output.decode()[-3000:]


async def test_events_that_cannot_be_read_or_quoted_are_lettered_and_others_go_on(bob_api, js, db):
    """Raw messages no producer of ours would publish: a lone surrogate where the type should
    be (its error quotes it, and UTF-8 cannot carry it) and a body too large to copy into a
    letter. Each used to stop the projection for everyone: its letter could never be stored."""
    surrogate, oversized = str(uuid.uuid4()), str(uuid.uuid4())
    bodies = {
        surrogate: b'{"specversion": "1.0", "id": "x", "type": "\\ud800"}',
        oversized: b"{" * 900_000,  # a third larger in base64: over NATS's 1 MB message limit
    }
    for job_id, body in bodies.items():
        await js.publish(subjects.job_event(job_id, "created"), body, stream=subjects.STREAM)
    try:
        other = await submit(bob_api, dialogue("espeak", title="after the unreadable"))

        async def in_table():
            row = await db.fetchrow("SELECT status FROM tts_jobs WHERE id = $1", other["id"])
            return row is not None and row["status"] == "completed"

        await eventually(in_table, timeout_s=120, what="the later job completed in the table")
        quoted = await _letter(js, surrogate)
        assert "\\ud800" in quoted.error and quoted.data == bodies[surrogate]
        named = await _letter(js, oversized)
        assert named.data == b"" and "too large to copy" in named.error
        assert named.stream == subjects.STREAM and named.subject.endswith(".created")
    finally:
        for job_id in bodies:
            for letter in await _letters_of(js, job_id):
                await remove_letter(js, letter)
