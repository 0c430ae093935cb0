"""A hostile client of two gateways on one stack, as a load balancer deals its requests: what one
gateway writes, the other must read. Each write below is made on gateway A (the stack's) and
read on gateway B (a second process) at once, and measured where the README promises only
"within a moment" (the tap's push; the projection's apply). The full-size loops, hundreds of
rounds, are bench/cross_gateway_staleness.py."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.conftest import create_user, eventually
from tests.support.gateways import start_second_gateway
from tests.support.jobs import SUBMIT, dialogue, projection_caught_up, submit, wait_for_status
from ttsjobs.messaging.job_history import read_history
from ttsjobs.settings import settings_with
from ttsjobs_cli.accounts import open_accounts

pytestmark = pytest.mark.e2e

# What "a moment" may take across gateways here: the tap's push is a millisecond or so; this
# leaves room for a loaded 2-core machine, and is still far below any projection stall.
MOMENT_S = 1.0


@pytest.fixture(scope="module")
def gateway_b(stack):
    """A second gateway on the session's stack, for the whole module."""
    with ThreadPoolExecutor(1) as pool:
        url = pool.submit(asyncio.run, start_second_gateway(stack, "gateway-probe")).result()
    try:
        yield url
    finally:
        stack.stop_service("gateway-probe")


@pytest.fixture
async def on_b(gateway_b, alice) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway_b, timeout=30, headers=alice.headers) as client:
        yield client


@contextlib.contextmanager
def projection_stopped(stack):
    stack.stop_service("projection")
    try:
        yield
    finally:
        stack.start_service("projection")


async def _stale_for(agrees: Callable[[], Awaitable[bool]], *, deadline_s: float) -> float | None:
    """How long a read disagreed with the write just answered: 0.0 if the first read agreed,
    None if none did within the deadline."""
    start = time.perf_counter()
    if await agrees():
        return 0.0
    while time.perf_counter() - start < deadline_s:
        if await agrees():
            return time.perf_counter() - start
    return None


def _espeak(tag: str, turns: int = 2) -> dict:
    body = dialogue("espeak", title=f"probe {tag}")
    body["turns"] = [
        {"speaker": "Alice" if i % 2 == 0 else "Bob", "text": f"Probe {tag}, line {i}."}
        for i in range(turns)
    ]
    return body


async def test_a_job_made_on_a_is_read_on_b_at_once_and_listed_and_found_there_soon(api, on_b):
    token = uuid.uuid4().hex[:12]
    job = await submit(api, _espeak(token))
    seen = await on_b.get(f"/api/v1/jobs/{job['id']}")
    assert seen.status_code == 200, "a job accepted on A is never a 404 on B"
    assert (seen.json()["id"], seen.json()["title"]) == (job["id"], f"probe {token}")

    async def listed() -> bool:
        page = (await on_b.get("/api/v1/jobs", params={"limit": 5})).json()
        return job["id"] in [item["id"] for item in page["items"]]

    async def found() -> bool:
        page = (await on_b.get("/api/v1/jobs", params={"q": token})).json()
        return [item["id"] for item in page["items"]] == [job["id"]]

    # The list and the search are the table's: they have the job once the projection has it.
    assert await _stale_for(listed, deadline_s=5) is not None, "not listed on B within 5 s"
    assert await _stale_for(found, deadline_s=5) is not None, "not found on B within 5 s"


async def test_a_rename_on_a_of_a_finished_job_is_read_at_once_on_a_and_on_b(
    api, on_b, stack, js, db
):
    # One made on B, so that A reads its row like any other; one made on A, so that B does.
    jobs = [await submit(on_b, _espeak(uuid.uuid4().hex[:8])), await submit(api, _espeak("A"))]
    for job in jobs:
        await wait_for_status(on_b, job["id"], {"completed"})
    await projection_caught_up(js, db)  # the table has them finished
    with projection_stopped(stack):  # and keeps them so: the table will not catch up
        for job in jobs:
            for title in ("first new title", "second new title"):
                renamed = await api.patch(f"/api/v1/jobs/{job['id']}", json={"title": title})
                assert renamed.status_code == 200 and renamed.json()["title"] == title
                mine = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
                assert mine["title"] == title, "the renaming gateway's next GET had the old title"
                assert mine["status"] == "completed"

                async def on_b_too(job_id: str = job["id"], title: str = title) -> bool:
                    return (await on_b.get(f"/api/v1/jobs/{job_id}")).json()["title"] == title

                stale = await _stale_for(on_b_too, deadline_s=MOMENT_S)
                assert stale is not None, f"B showed the old title for over {MOMENT_S} s"


async def test_cancels_and_deletes_on_a_reach_b_within_a_moment(api, on_b):
    stale_reads = []
    for round_ in range(6):
        job = await submit(api, _espeak(f"cancel {round_}", turns=6))
        answer = await api.delete(f"/api/v1/jobs/{job['id']}")
        assert answer.status_code in (200, 202, 409), answer.text
        if answer.status_code == 409:
            continue  # it finished before the cancel: nothing to read back

        async def b_agrees(job_id: str = job["id"]) -> bool:
            # Cancelled (a pending job), or asked to stop (a processing one), or ended since.
            seen = (await on_b.get(f"/api/v1/jobs/{job_id}")).json()
            finished = seen["status"] in ("cancelled", "completed", "failed")
            return finished or seen["cancel_requested_at"] is not None

        stale = await _stale_for(b_agrees, deadline_s=MOMENT_S)
        assert stale is not None, f"B still showed {job['id']} uncancelled after {MOMENT_S} s"
        stale_reads.append(stale)
    assert stale_reads, "every job ended before its cancel: the test proves nothing"
    done = await submit(api, _espeak("delete"))
    await wait_for_status(api, done["id"], {"completed"})
    assert (await api.delete(f"/api/v1/jobs/{done['id']}")).status_code == 204

    async def gone_on_b() -> bool:
        got = await on_b.get(f"/api/v1/jobs/{done['id']}")
        page = (await on_b.get("/api/v1/jobs", params={"limit": 20})).json()
        return got.status_code == 404 and done["id"] not in [i["id"] for i in page["items"]]

    assert await _stale_for(gone_on_b, deadline_s=MOMENT_S) is not None


async def test_one_idempotency_key_sent_to_both_gateways_at_once_is_one_job(api, on_b):
    token = uuid.uuid4().hex[:12]
    body = {
        "provider": "tone",
        "title": f"key race {token}",
        # Enough turns that A is still validating and casting when B gets the same key.
        "turns": [
            {"speaker": "A" if i % 2 else "B", "text": f"{token} {i} " + "la " * 25}
            for i in range(200)
        ],
        "voice_assignments": {"A": {"voice": "mid"}, "B": {"voice": "high"}},
    }
    ids = set()
    for _ in range(4):
        key = {"Idempotency-Key": str(uuid.uuid4())}
        first, second = await asyncio.gather(
            api.post(SUBMIT, json=body, headers=key), on_b.post(SUBMIT, json=body, headers=key)
        )
        answers = {first.status_code, second.status_code}
        assert answers <= {202, 409}, (first.text, second.text)
        assert 202 in answers, "one of the two must have made the job"
        for loser in (first, second):
            if loser.status_code == 409:
                assert loser.headers.get("Retry-After") == "1"
        winner = first if first.status_code == 202 else second

        async def repeated(key: dict[str, str] = key) -> httpx.Response | None:
            again = await on_b.post(SUBMIT, json=body, headers=key)
            return again if again.status_code == 202 else None

        again = await eventually(repeated, what="the repeat answered", timeout_s=10)
        assert again.json()["id"] == winner.json()["id"]
        ids.add(winner.json()["id"])
    assert len(ids) == 4

    async def each_made_once() -> bool:
        page = (await api.get("/api/v1/jobs", params={"q": token, "limit": 20})).json()
        return sorted(i["id"] for i in page["items"]) == sorted(ids)

    await eventually(each_made_once, what="four keys, four jobs, none doubled", timeout_s=10)
    for job_id in ids:  # 200 turns each: not for the jobs of the tests after this one to wait on
        assert (await api.delete(f"/api/v1/jobs/{job_id}")).status_code in (200, 202, 409)


def _ws(base: str, path: str) -> str:
    return base.replace("http://", "ws://") + path


async def _events_until(ws, done: Callable[[list[dict]], bool], *, timeout_s: float) -> list[dict]:
    """The event messages of a feed until ``done`` holds of them (or the feed closes)."""
    events: list[dict] = []

    async def read() -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "event":
                    events.append(message)
                    if done(events):
                        return

    await asyncio.wait_for(read(), timeout=timeout_s)
    return events


def _kinds(events: list[dict], job_id: str) -> list[str]:
    return [m["event"]["type"].split(".")[-2] for m in events if m["job_id"] == job_id]


async def _history_after(js, job_id: str, after: int) -> list[tuple[int, str]]:
    return [(seq, e.kind) for seq, e in await read_history(js, job_id) if seq > after]


async def _follow_job_feed(
    base: str,
    job_id: str,
    headers: dict[str, str],
    *,
    on_event: Callable[[dict], None] = lambda _: None,
    timeout_s: float = 90,
) -> tuple[int, list[dict]]:
    """A job's feed read to its end (1000) as a client would: resumed with ``after`` whenever
    it closes otherwise (the lifetime cap's 1001, a gateway that lost NATS). Returns the
    snapshot's seq and every event message, however many connections it took."""
    first_seq: int | None = None
    after: int | None = None
    events: list[dict] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        path = f"/api/v1/jobs/{job_id}/events" + (f"?after={after}" if after is not None else "")
        try:
            async with connect(_ws(base, path), additional_headers=headers) as ws:
                with contextlib.suppress(ConnectionClosed):
                    async for raw in ws:
                        message = json.loads(raw)
                        if message["type"] == "snapshot" and after is None:
                            first_seq = after = message["seq"]
                        elif message["type"] == "event":
                            events.append(message)
                            after = message["seq"]
                            on_event(message)
                if ws.close_code == 1000:
                    assert first_seq is not None
                    return first_seq, events
        except (OSError, ConnectionClosed):
            pass  # the gateway is not taking feeds yet (reconnecting to NATS): again
        await asyncio.sleep(0.2)
    raise AssertionError(f"the feed of {job_id} did not end within {timeout_s} s")


async def test_feeds_on_b_carry_every_event_of_jobs_made_and_cancelled_on_a(
    alice, api, gateway_b, js
):
    async with connect(
        _ws(gateway_b, "/api/v1/jobs/events"), additional_headers=alice.headers
    ) as user_feed:
        snapshot = json.loads(await user_feed.recv())
        assert snapshot["type"] == "snapshot"
        ran = await submit(api, _espeak("fed", turns=4))
        followed = asyncio.create_task(_follow_job_feed(gateway_b, ran["id"], alice.headers))
        stopped = await submit(api, _espeak("stopped", turns=6))
        assert (await api.delete(f"/api/v1/jobs/{stopped['id']}")).status_code in (200, 202)
        finals = {"completed", "failed", "cancelled"}

        def both_ended(events: list[dict]) -> bool:
            return all(_kinds(events, j["id"])[-1:] and _kinds(events, j["id"])[-1] in finals
                       for j in (ran, stopped))  # fmt: skip

        on_user_feed = await _events_until(user_feed, both_ended, timeout_s=60)
        job_snapshot_seq, on_job_feed = await followed
    for job in (ran, stopped):
        relayed = [(m["seq"], _kinds([m], job["id"])[0]) for m in on_user_feed
                   if m["job_id"] == job["id"]]  # fmt: skip
        assert relayed == await _history_after(js, job["id"], snapshot["seq"]), job["id"]
    assert [(m["seq"], _kinds([m], ran["id"])[0]) for m in on_job_feed] == await _history_after(
        js, ran["id"], job_snapshot_seq
    )


async def test_another_users_job_made_on_a_is_never_shown_on_b(api, gateway_b, bob, js, db):
    token = uuid.uuid4().hex[:12]
    job = await submit(api, _espeak(token))
    async with httpx.AsyncClient(base_url=gateway_b, timeout=30, headers=bob.headers) as bob_b:
        for when in ("before the table has it", "after"):
            for method, kwargs in (("GET", {}), ("PATCH", {"json": {"title": "mine"}}),
                                   ("DELETE", {})):  # fmt: skip
                got = await bob_b.request(method, f"/api/v1/jobs/{job['id']}", **kwargs)
                assert got.status_code == 404, (when, method, got.text)
            page = (await bob_b.get("/api/v1/jobs", params={"q": token})).json()
            assert page["items"] == [], when
            async with connect(
                _ws(gateway_b, f"/api/v1/jobs/{job['id']}/events"), additional_headers=bob.headers
            ) as ws:
                with contextlib.suppress(ConnectionClosed):
                    while True:
                        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
                        assert message["type"] == "ping", (when, message)
            assert ws.close_code == 4404, when
            await projection_caught_up(js, db)
    assert (await api.get(f"/api/v1/jobs/{job['id']}")).json()["title"] == f"probe {token}"


async def test_a_key_revoked_mid_stream_closes_its_feeds_on_b_and_b_then_refuses_it(
    stack, gateway_b
):
    user = create_user(stack, f"revoked-b-{uuid.uuid4().hex[:8]}")
    async with httpx.AsyncClient(base_url=stack.gateway_url, headers=user.headers) as on_a:
        job = await submit(on_a, _espeak("revoked", turns=40))  # still running when it goes
    async with (
        connect(_ws(gateway_b, f"/api/v1/jobs/{job['id']}/events"),
                additional_headers=user.headers) as job_ws,
        connect(_ws(gateway_b, "/api/v1/jobs/events"), additional_headers=user.headers) as feed,
    ):  # fmt: skip
        for ws in (job_ws, feed):
            assert json.loads(await ws.recv())["type"] == "snapshot"
        async with open_accounts(settings_with(stack.env)) as accounts:
            assert await accounts.revoke_key(user.key_id)

        async def closed(ws) -> int | None:
            with contextlib.suppress(ConnectionClosed):
                async for _ in ws:
                    pass
            return ws.close_code

        codes = await asyncio.wait_for(asyncio.gather(closed(job_ws), closed(feed)), timeout=10)
    assert codes == [4401, 4401]
    async with httpx.AsyncClient(base_url=gateway_b, headers=user.headers) as on_b:
        assert (await on_b.get(f"/api/v1/jobs/{job['id']}")).status_code == 401


async def test_b_relays_every_event_once_across_a_nats_restart(alice, api, gateway_b, stack, js):
    """NATS restarted under B while it relays a job of A's: the feed keeps on, or closes and
    resumes with ``after``; either way every event once, in order."""
    job = await submit(api, _espeak("restart", turns=12))
    restarted = []

    def restart_on_first_progress(message: dict) -> None:
        if not restarted and message["event"]["type"].endswith(".progressed.v1"):
            stack.restart_nats()
            restarted.append(message["seq"])

    first_seq, relayed = await _follow_job_feed(
        gateway_b, job["id"], alice.headers, on_event=restart_on_first_progress
    )
    assert restarted, "the job ended before NATS was restarted: the test proves nothing"
    seqs = [m["seq"] for m in relayed]
    assert seqs == sorted(set(seqs)), "an event came twice or out of order"
    assert [(m["seq"], _kinds([m], job["id"])[0]) for m in relayed] == await _history_after(
        js, job["id"], first_seq
    )
    # And B's tap still follows the stream: a job made on A after the restart is read on B.
    later = await submit(api, _espeak("after restart"))
    async with httpx.AsyncClient(base_url=gateway_b, timeout=30, headers=alice.headers) as on_b:
        assert (await on_b.get(f"/api/v1/jobs/{later['id']}")).status_code == 200
        await wait_for_status(on_b, later["id"], {"completed"}, timeout_s=60)
