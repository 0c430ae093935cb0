"""WebSocket feeds: current state first, then every event in order with no gaps, resumable
without loss or repeats, for many clients at once; pings, clean closes, a lifetime cap."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.conftest import create_user
from tests.support.gateways import start_second_gateway
from tests.support.jobs import dialogue, submit, wait_for_status
from ttsjobs.contracts import subjects
from ttsjobs.messaging.job_history import read_history
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.settings import settings_with
from ttsjobs_cli.accounts import open_accounts
from ttsjobs_synthesis import publishers as synth

pytestmark = pytest.mark.e2e


def _ws(stack, path: str) -> str:
    return stack.gateway_url.replace("http://", "ws://") + path


def _espeak_job(turns: int, tag: str) -> dict:
    body = dialogue("espeak")
    body["turns"] = [
        {"speaker": "Alice" if i % 2 == 0 else "Bob",
         "text": f"Feed test {tag}, turn {i}, with a few words to say out loud."}
        for i in range(turns)
    ]  # fmt: skip
    return body


async def _read_all(ws, *, stop_after: int | None = None) -> tuple[list[dict], int | None]:
    """Messages until the server closes (or stop_after events); pings left out."""
    messages: list[dict] = []
    code = None
    try:
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "ping":
                continue
            messages.append(message)
            if stop_after and sum(m["type"] == "event" for m in messages) >= stop_after:
                return messages, None
    except ConnectionClosed:
        pass
    code = ws.close_code
    return messages, code


async def test_one_job_feed_sends_state_then_every_event_in_order_then_closes(
    alice, api, stack, js
):
    job = await submit(api, _espeak_job(6, "order"))
    async with connect(
        _ws(stack, f"/api/v1/jobs/{job['id']}/events"), additional_headers=alice.headers
    ) as ws:
        messages, code = await asyncio.wait_for(_read_all(ws), timeout=60)
    assert code == 1000
    snapshot, events = messages[0], messages[1:]
    assert snapshot["type"] == "snapshot" and snapshot["job"]["id"] == job["id"]
    history = [(seq, e.kind) for seq, e in await read_history(js, job["id"])]
    expected = [(seq, kind) for seq, kind in history if seq > snapshot["seq"]]
    assert [(m["seq"], m["event"]["type"].split(".")[-2]) for m in events] == expected
    assert events[-1]["event"]["type"] == "io.ttsjobs.job.completed.v2"


async def test_a_client_resuming_from_its_last_sequence_misses_and_repeats_nothing(
    alice, api, stack, js
):
    job = await submit(api, _espeak_job(12, "resume"))
    url = _ws(stack, f"/api/v1/jobs/{job['id']}/events")
    async with connect(url, additional_headers=alice.headers) as ws:
        first, _ = await asyncio.wait_for(_read_all(ws, stop_after=2), timeout=60)
    last_seen = first[-1]["seq"]
    async with connect(f"{url}?after={last_seen}", additional_headers=alice.headers) as ws:
        rest, code = await asyncio.wait_for(_read_all(ws), timeout=60)
    assert code == 1000
    assert all(m["type"] == "event" for m in rest), "a resumed feed sends no snapshot"
    got = [m["seq"] for m in first[1:]] + [m["seq"] for m in rest]
    history = [seq for seq, _ in await read_history(js, job["id"]) if seq > first[0]["seq"]]
    assert got == history


async def test_resuming_after_a_jobs_final_event_closes_at_once(alice, api, stack, js):
    """A client that got the final event but not the close comes back with its seq: there is
    nothing more, and the feed says so instead of waiting for events that will not come."""
    job = await submit(api, _espeak_job(2, "resume at the end"))
    await wait_for_status(api, job["id"], {"completed"})
    last = (await read_history(js, job["id"]))[-1][0]
    url = _ws(stack, f"/api/v1/jobs/{job['id']}/events?after={last}")
    async with connect(url, additional_headers=alice.headers) as ws:
        messages, code = await asyncio.wait_for(_read_all(ws), timeout=5)
        reason = ws.close_reason
    assert (code, reason, messages) == (1000, "job finished", [])


async def test_many_clients_see_the_same_events(alice, api, stack):
    job = await submit(api, _espeak_job(8, "many"))
    url = _ws(stack, f"/api/v1/jobs/{job['id']}/events")

    async def client():
        async with connect(url, additional_headers=alice.headers) as ws:
            messages, _ = await _read_all(ws)
        return [m["seq"] for m in messages if m["type"] == "event"]

    results = await asyncio.wait_for(asyncio.gather(*[client() for _ in range(8)]), timeout=60)
    finished = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
    assert finished["status"] == "completed"
    # Clients connected at slightly different moments; each sees a gapless tail of one sequence.
    longest = max(results, key=len)
    for seqs in results:
        assert seqs == longest[len(longest) - len(seqs) :]


async def test_a_finished_job_sends_its_state_and_closes(alice, api, stack):
    job = await submit(api, dialogue("espeak"))
    await wait_for_status(api, job["id"], {"completed"})
    async with connect(
        _ws(stack, f"/api/v1/jobs/{job['id']}/events"), additional_headers=alice.headers
    ) as ws:
        messages, code = await asyncio.wait_for(_read_all(ws), timeout=20)
    assert code == 1000
    assert [m["type"] for m in messages] == ["snapshot"]
    assert messages[0]["job"]["status"] == "completed"


async def test_an_unknown_job_feed_closes_with_not_found(alice, stack):
    url = _ws(stack, "/api/v1/jobs/5d1e0b8e-4a43-4f55-a3a4-4f3a0e0f0000/events")
    async with connect(url, additional_headers=alice.headers) as ws:
        _, code = await asyncio.wait_for(_read_all(ws), timeout=20)
    assert code == 4404


async def test_the_users_feed_carries_every_job_and_pings(alice, api, stack):
    async with connect(_ws(stack, "/api/v1/jobs/events"), additional_headers=alice.headers) as ws:
        snapshot = json.loads(await ws.recv())
        assert snapshot["type"] == "snapshot" and isinstance(snapshot["jobs"], list)
        ids = {(await submit(api, _espeak_job(2, f"user-{i}")))["id"] for i in range(2)}
        seen: dict[str, list[str]] = {}
        pings = 0
        seqs = []

        async def until_both_complete():
            nonlocal pings
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "ping":
                    pings += 1
                    continue
                seqs.append(message["seq"])
                kind = message["event"]["type"].split(".")[-2]
                seen.setdefault(message["job_id"], []).append(kind)
                if all(seen.get(i, [])[-1:] == ["completed"] for i in ids):
                    return

        await asyncio.wait_for(until_both_complete(), timeout=60)
    for job_id in ids:
        assert seen[job_id][0] == "created" and seen[job_id][-1] == "completed"
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))


async def test_feeds_have_a_lifetime_cap_and_ping_meanwhile(alice, stack):
    async with connect(_ws(stack, "/api/v1/jobs/events"), additional_headers=alice.headers) as ws:
        kinds = []
        async for raw in ws:  # ends when the server closes
            kinds.append(json.loads(raw)["type"])
        assert ws.close_code == 1001
        assert "resume with after=" in ws.close_reason
    assert kinds[0] == "snapshot" and kinds.count("ping") >= 5


@pytest.mark.parametrize("after", ["-5", "1e20", "abc", "", "99999999999999999999999"])
@pytest.mark.parametrize("feed", ["job", "user"])
async def test_a_bad_after_closes_the_feed_with_4400_and_a_reason(alice, api, stack, feed, after):
    path = "/api/v1/jobs/events"
    if feed == "job":
        path = f"/api/v1/jobs/{(await submit(api, dialogue('espeak')))['id']}/events"
    async with connect(_ws(stack, f"{path}?after={after}"), additional_headers=alice.headers) as ws:
        messages, code = await asyncio.wait_for(_read_all(ws), timeout=20)
        reason = ws.close_reason
    assert (code, messages) == (4400, [])
    assert "after=" in reason


@pytest.mark.parametrize("feed", ["job", "user"])
async def test_an_after_past_the_streams_end_closes_with_4400(alice, api, stack, js, feed):
    job = await submit(api, dialogue("espeak"))
    path = f"/api/v1/jobs/{job['id']}/events" if feed == "job" else "/api/v1/jobs/events"
    beyond = (await js.stream_info(subjects.STREAM)).state.last_seq + 1_000_000
    async with connect(
        _ws(stack, f"{path}?after={beyond}"), additional_headers=alice.headers
    ) as ws:
        _, code = await asyncio.wait_for(_read_all(ws), timeout=20)
        assert code == 4400 and "past the newest event" in ws.close_reason


async def test_after_zero_is_the_start_of_the_stream(alice, api, stack):
    job = await submit(api, dialogue("espeak"))
    url = _ws(stack, f"/api/v1/jobs/{job['id']}/events?after=0")
    async with connect(url, additional_headers=alice.headers) as ws:
        messages, code = await asyncio.wait_for(_read_all(ws), timeout=60)
    assert code == 1000
    assert messages[0]["event"]["type"] == "io.ttsjobs.job.created.v1"


async def test_revoking_a_key_closes_its_open_feeds_with_4401(stack):
    user = create_user(stack, f"revoked-{uuid.uuid4().hex[:8]}")
    async with httpx.AsyncClient(base_url=stack.gateway_url, headers=user.headers) as api:
        job = await submit(api, _espeak_job(40, "revoked"))  # still running when the key goes
    headers = user.headers
    job_url = _ws(stack, f"/api/v1/jobs/{job['id']}/events")
    async with (
        connect(job_url, additional_headers=headers) as job_ws,
        connect(_ws(stack, "/api/v1/jobs/events"), additional_headers=headers) as user_ws,
    ):
        for ws in (job_ws, user_ws):
            assert json.loads(await ws.recv())["type"] == "snapshot"
        async with open_accounts(settings_with(stack.env)) as accounts:
            assert await accounts.revoke_key(user.key_id)
        # Well within the auth cache's bound (30 s): the gateway hears of the revocation.
        closed = await asyncio.wait_for(
            asyncio.gather(_read_all(job_ws), _read_all(user_ws)), timeout=10
        )
        assert [code for _, code in closed] == [4401, 4401]
        assert "revoked" in job_ws.close_reason and "revoked" in user_ws.close_reason
        job_events = [m for m in closed[0][0] if m["type"] == "event"]
        assert not any(m["event"]["type"].endswith(".completed.v2") for m in job_events), (
            "the job ended before the revocation: the test proves nothing"
        )


async def test_feeds_never_show_progress_going_back_when_an_attempt_repeats_it(
    alice, api, stack, js
):
    """The long restart, staged: reports 1..4 under ids JetStream no longer de-duplicates (an
    earlier attempt's, from before the duplicate window), then a worker resumes the job and
    reports 1..6 again. The stream holds both; neither feed, resuming from before them, goes
    back. (Resumed feeds, so that the 12 s lifetime cap of the suite's feeds does not race the
    worker's start.)"""
    stack.stop_service("synthesis")
    try:
        # Turns long enough (about 70 s of audio each) that the job outlasts the 0.2 s in
        # which a quick job's progress is held back: the worker reports every turn.
        line = "This turn {i} of job {tag} is long enough to take a little while to say. "
        tag = uuid.uuid4()
        body = {
            "provider": "espeak", "title": "progress goes forward",
            "turns": [{"speaker": "A", "text": line.format(i=i, tag=tag) * 18} for i in range(6)],
            "voice_assignments": {"A": {"voice": "en-us"}},
        }  # fmt: skip
        job = await submit(api, body)
        before = (await read_history(js, job["id"]))[0][0]  # its JobCreated
        publish = EventPublisher(js)
        for done in range(1, 5):
            report = synth.job_progressed(
                job["id"], user_id=alice.user_id, done=done, total=6, turn_index=done - 1
            )
            await publish(report.model_copy(update={"id": f"{job['id']}.progressed.{done}"}))
    finally:
        stack.start_service("synthesis")
    await wait_for_status(api, job["id"], {"completed"})
    stream = [e.data.done for _, e in await read_history(js, job["id"]) if e.kind == "progressed"]
    assert stream == [1, 2, 3, 4, 1, 2, 3, 4, 5, 6], "the staged regression is in the stream"

    async def dones(path: str) -> list[int]:
        url = _ws(stack, f"{path}?after={before}")
        async with connect(url, additional_headers=alice.headers) as ws:
            messages, _ = await asyncio.wait_for(_read_all(ws), timeout=30)
        return [
            m["event"]["data"]["done"]
            for m in messages
            if m.get("job_id") == job["id"] and m["event"]["type"].endswith(".progressed.v1")
        ]

    assert await dones(f"/api/v1/jobs/{job['id']}/events") == [1, 2, 3, 4, 5, 6]
    assert await dones("/api/v1/jobs/events") == [1, 2, 3, 4, 5, 6]


def _flattened(messages: list[dict]) -> list[dict]:
    """A batch=1 feed's events, whether each came alone or with others."""
    events = []
    for message in messages:
        if message["type"] == "events":
            assert message["seq"] == message["events"][-1]["seq"]
            events += message["events"]
        elif message["type"] == "event":
            events.append(message)
    return events


async def test_a_batched_feed_sends_what_queued_up_together_losing_and_repeating_nothing(
    alice, api, stack, js
):
    job = await submit(api, _espeak_job(6, "batched"))
    done = await wait_for_status(api, job["id"], {"completed"})
    history = [(seq, e.kind) for seq, e in await read_history(js, job["id"])]
    # Resuming after its JobCreated: everything since is already there, so it comes as one.
    url = _ws(stack, f"/api/v1/jobs/{job['id']}/events?after={history[0][0]}&batch=1")
    async with connect(url, additional_headers=alice.headers) as ws:
        messages, code = await asyncio.wait_for(_read_all(ws), timeout=30)
    assert code == 1000 and [m["type"] for m in messages] == ["events"]
    events = _flattened(messages)
    assert [(m["seq"], m["event"]["type"].split(".")[-2]) for m in events] == history[1:]
    assert events[-1]["event"]["data"]["result"] == done["result"]

    # Live: whatever the snapshot does not hold comes in order, alone or together.
    job = await submit(api, _espeak_job(6, "batched live"))
    url = _ws(stack, f"/api/v1/jobs/{job['id']}/events?batch=1")
    async with connect(url, additional_headers=alice.headers) as ws:
        messages, code = await asyncio.wait_for(_read_all(ws), timeout=60)
    snapshot = messages[0]
    assert code == 1000 and snapshot["type"] == "snapshot"
    history = [(seq, e.kind) for seq, e in await read_history(js, job["id"])]
    events = _flattened(messages[1:])
    expected = [(seq, kind) for seq, kind in history if seq > snapshot["seq"]]
    assert [(m["seq"], m["event"]["type"].split(".")[-2]) for m in events] == expected


@pytest.mark.parametrize("batch", ["2", "yes", ""])
async def test_a_bad_batch_closes_the_feed_with_4400(alice, stack, batch):
    url = _ws(stack, f"/api/v1/jobs/events?batch={batch}")
    async with connect(url, additional_headers=alice.headers) as ws:
        messages, code = await asyncio.wait_for(_read_all(ws), timeout=20)
        reason = ws.close_reason
    assert (code, messages) == (4400, []) and "batch=" in reason


async def _next_not_ping(ws) -> dict:
    while (message := json.loads(await ws.recv()))["type"] == "ping":
        pass
    return message


async def test_a_client_that_stops_reading_is_cut_off_at_a_resume_point_and_loses_nothing(
    stack, js
):
    """A client reads its snapshot, then nothing, while 200 of its events (8 MB, more than the
    sockets on the way hold) pile up. Once more than the suite's limit (64 KB) waits at
    the gateway, the feed is closed 4008 behind what was written: the client, reading again,
    gets every event up to the resume point the close names, and resuming from there brings
    the rest, none twice. On a gateway of its own whose feeds live long: 200 events fsynced
    one by one can take longer than the suite's 12 s lifetime on a slow disk, and the lifetime's
    close (1001) would come before the backlog's."""
    user = await asyncio.to_thread(create_user, stack, f"slow-reader-{uuid.uuid4().hex[:6]}")
    base = await start_second_gateway(
        stack, "gateway-long-feeds", {"TTSJOBS_WS_MAX_LIFETIME_S": "300"}
    )
    try:
        await _stalled_reader_is_cut_off_and_loses_nothing(base, user, js)
    finally:
        stack.stop_service("gateway-long-feeds")


async def _stalled_reader_is_cut_off_and_loses_nothing(base: str, user, js) -> None:
    url = base.replace("http://", "ws://") + "/api/v1/jobs/events"
    address = urlsplit(base)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((address.hostname, address.port))
    # Jobs with no JobCreated: the table ignores their events, the user's feed does not.
    ids = [str(uuid.uuid4()) for _ in range(201)]
    started = [
        synth.job_started(job_id, user_id=user.user_id, worker="w" * 40_000, attempt=1)
        for job_id in ids
    ]
    publish = EventPublisher(js)
    async with connect(url, sock=sock, additional_headers=user.headers, max_queue=1) as ws:
        assert (await _next_not_ping(ws))["type"] == "snapshot"
        # The first event read proves the feed past its catch-up from the stream, which
        # sends through ASGI and would wait for this client; the rest reach it live.
        await publish(started[0])
        first = await asyncio.wait_for(_next_not_ping(ws), 10)
        assert first["job_id"] == ids[0]
        await publish.in_order(started[1:])
        messages, code = await asyncio.wait_for(_read_all(ws), timeout=30)
        reason = ws.close_reason or ""
    assert code == 4008 and "resume with after=" in reason, (code, reason)
    got = [first, *(m for m in messages if m["type"] == "event")]
    assert 1 < len(got) < len(ids), "cut off before the end"
    assert [m["job_id"] for m in got] == ids[: len(got)], "everything up to the cut, in order"
    resume = int(reason.rsplit("after=", 1)[1])
    assert resume == got[-1]["seq"]

    async with connect(f"{url}?after={resume}", additional_headers=user.headers) as ws:
        rest, _ = await asyncio.wait_for(_read_all(ws, stop_after=len(ids) - len(got)), 30)
    assert [m["job_id"] for m in rest if m["type"] == "event"] == ids[len(got) :]
