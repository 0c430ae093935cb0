"""With nats-server down, an error answer means "not done": POST and DELETE answer 503 with
Retry-After within the gateway's NATS bounds (a POST's is longer: it waits out what may be an
election), and once NATS is back nothing the gateway gave up on turns up late. A client that
retries with the same Idempotency-Key gets one job.

Each test stops the drills' nats-server and starts it again on the same port and files, so the
stack is whole again when it ends."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import ConsumerConfig, DeliverPolicy

from tests.conftest import eventually
from tests.support.jobs import SUBMIT, submit, wait_for_status
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import parse_event
from ttsjobs.messaging.job_history import read_history
from ttsjobs_cli.embedded.servers import NatsServer, start_nats
from ttsjobs_cli.embedded.stack import Stack

pytestmark = pytest.mark.e2e

# A DELETE waits for NATS at most the gateway's request bound, 2 s
# (TTSJOBS_NATS_REQUEST_TIMEOUT_S; nats-py's own default is 5 s). A POST is held through what
# may be an election for up to TTSJOBS_NATS_RIDE_THROUGH_S (9 s), its last try within it.
DELETE_ANSWERED_WITHIN_S = 4.0
POST_ANSWERED_WITHIN_S = 11.0


def tone_job(tag: str, *, turns: int = 2) -> dict:
    return {
        "provider": "tone",
        "title": tag,
        "turns": [{"speaker": "A", "text": f"{tag} turn {i}"} for i in range(turns)],
        "voice_assignments": {"A": {"voice": "mid"}},
    }


@contextlib.contextmanager
def nats_down(stack: Stack) -> Iterator[None]:
    """nats-server stopped for the block, started again on the same port and files after it."""
    server = next(s for s in stack.servers if isinstance(s, NatsServer))
    server.stop()
    try:
        yield
    finally:
        again = start_nats(stack.data_dir / "nats", port=server.port)
        stack.servers[stack.servers.index(server)] = again


async def _timed(request) -> tuple[httpx.Response, float]:
    began = time.monotonic()
    response = await request
    return response, time.monotonic() - began


def _assert_not_confirmed(
    response: httpx.Response, elapsed_s: float, *, within_s: float = DELETE_ANSWERED_WITHIN_S
) -> None:
    assert response.status_code == 503, (response.status_code, response.text)
    assert elapsed_s < within_s, f"answered after {elapsed_s:.1f}s"
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["type"] == "urn:ttsjobs:problem:not-confirmed"


async def _accepted_again(api: httpx.AsyncClient, tag: str) -> dict:
    """A job submitted once the gateway is connected again (503s until then)."""

    async def accepted():
        response = await api.post(SUBMIT, json=tone_job(tag))
        return response.json() if response.status_code == 202 else None

    return await eventually(accepted, timeout_s=60, what="the gateway accepting jobs again")


async def _created_with_titles(js, titles: set[str], *, after_seq: int) -> list[str]:
    """Ids of the jobs created after ``after_seq`` whose title is one of ``titles``."""
    last = (await js.stream_info(subjects.STREAM)).state.last_seq
    found: list[str] = []
    if last <= after_seq:
        return found
    sub = await js.subscribe(
        subjects.every_job("created"),
        stream=subjects.STREAM,
        ordered_consumer=True,
        config=ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=after_seq + 1
        ),
    )
    try:
        while True:
            try:
                msg = await sub.next_msg(timeout=5)
            except NatsTimeoutError:
                return found
            event = parse_event(msg.data)
            if event.data.request.title in titles:
                found.append(event.subject)
            if msg.metadata.sequence.stream >= last:
                return found
    finally:
        await sub.unsubscribe()


async def test_a_post_with_nats_down_answers_503_and_no_job_appears_later(api, stack, js, db):
    await submit(api, tone_job("warm-up"))  # the gateway has seen alice's key
    since = (await js.stream_info(subjects.STREAM)).state.last_seq
    lost, keyed = f"lost {uuid.uuid4()}", f"keyed {uuid.uuid4()}"
    key = {"Idempotency-Key": f"retry-{uuid.uuid4()}"}
    with nats_down(stack):
        posted = await _timed(api.post(SUBMIT, json=tone_job(lost)))
        _assert_not_confirmed(*posted, within_s=POST_ANSWERED_WITHIN_S)
        posted = await _timed(api.post(SUBMIT, json=tone_job(keyed), headers=key))
        _assert_not_confirmed(*posted, within_s=POST_ANSWERED_WITHIN_S)

    # Whatever the gateway could still have held for NATS goes out on its first flush after the
    # reconnect, before anything submitted since: once a later job is in the table, a late
    # publish would be in the stream.
    marker = await _accepted_again(api, f"marker {uuid.uuid4()}")

    async def in_table():
        return await db.fetchval("SELECT 1 FROM tts_jobs WHERE id = $1", uuid.UUID(marker["id"]))

    await eventually(in_table, timeout_s=60, what="the marker job in the table")
    assert await _created_with_titles(js, {lost, keyed}, after_seq=since) == []
    assert (
        await db.fetchval("SELECT count(*) FROM tts_jobs WHERE title = ANY($1)", [lost, keyed]) == 0
    )

    # The careful client retries with its key: one job, and a repeat finds that one.
    first = await api.post(SUBMIT, json=tone_job(keyed), headers=key)
    again = await api.post(SUBMIT, json=tone_job(keyed), headers=key)
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert first.json()["id"] == again.json()["id"]
    await wait_for_status(api, first.json()["id"], {"completed"})
    assert await _created_with_titles(js, {keyed}, after_seq=since) == [first.json()["id"]]


async def test_a_delete_with_nats_down_answers_503_and_cancels_nothing_later(api, stack, js):
    stack.stop_service("synthesis")  # the jobs stay pending: a DELETE would cancel them at once
    try:
        job, other = await submit(api, tone_job("keep me")), await submit(api, tone_job("cancel"))
        with nats_down(stack):
            path = f"/api/v1/jobs/{job['id']}"
            _assert_not_confirmed(*await _timed(api.delete(path)))

        async def cancelled_other():
            response = await api.delete(f"/api/v1/jobs/{other['id']}")
            return response.status_code in (200, 409)  # 409: an earlier try got through

        # A DELETE after the reconnect goes out after anything the gateway still held.
        await eventually(cancelled_other, timeout_s=60, what="a DELETE confirmed again")
        kinds = [event.kind for _, event in await read_history(js, job["id"])]
        assert kinds == ["created"]
    finally:
        stack.start_service("synthesis")
    done = await wait_for_status(api, job["id"], {"completed", "cancelled", "failed"})
    assert done["status"] == "completed"
