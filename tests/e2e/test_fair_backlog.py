"""Fair scheduling past the prefetch window: one user's backlog of 500 jobs, far more than a
worker holds with their requests (TTSJOBS_PREFETCH, 32), does not hold back another user's
job. The order is read from the stream: JobStarted events after bob's JobCreated."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.conftest import eventually
from tests.support.jobs import SUBMIT
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCreated, JobStarted, parse_event
from ttsjobs.messaging.batch_get import BatchGet
from ttsjobs_synthesis.config import Settings as SynthesisSettings

pytestmark = pytest.mark.e2e

BACKLOG = 500
# The suite runs synthesis with the default slots: so many of alice's jobs may start after
# bob's submission before bob's does (those already on their way when his arrived).
SLOTS = SynthesisSettings.model_fields["worker_slots"].default


def tone_job(turns: int, tag: str) -> dict:
    """A tone job of ``turns`` turns: slow enough (a few hundred ms) that a backlog builds."""
    lines = [{"speaker": "A", "text": f"{tag} turn {i} {'x' * 400}"} for i in range(turns)]
    return {
        "provider": "tone",
        "title": tag,
        "turns": lines,
        "voice_assignments": {"A": {"voice": "mid"}},
    }


async def _submit_all(client, bodies: list[dict]) -> list[str]:
    gate = asyncio.Semaphore(16)

    async def one(body: dict) -> str:
        async with gate:
            response = await client.post(SUBMIT, json=body)
        assert response.status_code == 202, response.text
        return response.json()["id"]

    return list(await asyncio.gather(*(one(b) for b in bodies)))


async def _starts_after(reader: BatchGet, seq: int) -> list[str]:
    """The jobs whose JobStarted follows stream sequence ``seq``, in stream order."""
    jobs: list[str] = []
    while True:
        found, more = await reader.read(subjects.every_job(JobStarted.kind), from_seq=seq + 1)
        jobs += [parse_event(data).subject for _, data in found]
        if not more or not found:
            return jobs
        seq = found[-1][0]


async def test_another_users_job_starts_before_more_than_slots_of_a_deep_backlog(api, bob_api, js):
    run = uuid.uuid4().hex[:8]
    backlog = await _submit_all(
        api, [tone_job(turns=12, tag=f"backlog {run} {i}") for i in range(BACKLOG)]
    )
    reader = BatchGet(js, subjects.STREAM)
    try:
        [single] = await _submit_all(bob_api, [tone_job(turns=1, tag=f"single {run}")])
        [(created_seq, _)], _ = await reader.read(
            subjects.job_event(single, JobCreated.kind), from_seq=1
        )

        async def bob_started_or_too_many_passed() -> list[str] | None:
            started = await _starts_after(reader, created_seq)
            passed = [job for job in started if job in set(backlog)]
            return started if single in started or len(passed) > SLOTS else None

        started = await eventually(
            bob_started_or_too_many_passed, timeout_s=90, what="bob's job started"
        )
        ahead = started[: started.index(single)] if single in started else started
        assert single in started and len(ahead) <= SLOTS, (
            f"{len(ahead)} of alice's {BACKLOG} jobs started after bob's submission before his"
        )
        everything, after = await _starts_after(reader, 0), await _starts_after(reader, created_seq)
        left = BACKLOG - len(set(backlog) & (set(everything) - set(after)))
        assert left > 100, f"the backlog was only {left} deep when bob submitted: not a test"
    finally:
        await _cancel_pending(api, backlog)


async def _cancel_pending(client, jobs: list[str]) -> None:
    """Alice's jobs not yet done are cancelled: the session's stack serves other tests next."""
    gate = asyncio.Semaphore(16)

    async def cancel(job_id: str) -> None:
        async with gate:
            await client.delete(f"/api/v1/jobs/{job_id}")

    await asyncio.gather(*(cancel(j) for j in jobs))

    async def none_pending() -> bool:
        page = (await client.get("/api/v1/jobs", params={"status": "pending"})).json()
        return not page["items"]

    await eventually(none_pending, timeout_s=60, what="alice's backlog cancelled")
