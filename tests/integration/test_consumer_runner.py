"""The one place that acks: return → ack, RetryLater → nak(delay), PermanentFailure → term and
give-up, anything else → retried until max_deliver, then give-up."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid

import nats
import pytest

from tests.integration.conftest import created_consumer
from tests.support.jobs import dialogue
from ttsjobs.callbacks import NO_CALLBACK, has_no_callback
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCreated
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.messaging.consumer import (
    ConsumerRunner,
    PermanentFailure,
    RetryLater,
    RunnerOptions,
)
from ttsjobs.messaging.event_families import JOB_EVENTS
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs_gateway.publishers import job_created


async def _consumer(js, *, max_deliver: int) -> str:
    return await created_consumer(js, max_deliver=max_deliver)


async def _publish(js, n: int) -> list[str]:
    publish = EventPublisher(js)
    ids = []
    for _ in range(n):
        event = job_created(MultiRoleRequest.model_validate(dialogue()), user_id="u1")
        await publish(event)
        ids.append(event.job_id)
    return ids


async def _info(js, name):
    return await js.consumer_info(subjects.STREAM, name)


def _fast(**kw) -> RunnerOptions:
    return RunnerOptions(burst=True, fetch_timeout_s=0.5, backoff_base_s=0.05, **kw)


async def test_handled_messages_are_acked(jetstream):
    name = await _consumer(jetstream, max_deliver=3)
    ids = await _publish(jetstream, 3)
    seen = []

    async def handler(event, msg):
        seen.append(event.job_id)

    runner = ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=_fast(slots=2))
    await runner.run()
    assert sorted(seen) == sorted(ids) and runner.processed == 3
    info = await _info(jetstream, name)
    assert info.num_pending == 0 and info.num_ack_pending == 0


async def test_retry_later_redelivers_then_succeeds(jetstream):
    name = await _consumer(jetstream, max_deliver=5)
    [_job] = await _publish(jetstream, 1)
    attempts = []

    async def handler(event, msg):
        attempts.append(msg.metadata.num_delivered)
        if len(attempts) < 3:
            raise RetryLater("not yet", delay_s=0.05)

    await ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=_fast()).run()
    assert attempts == [1, 2, 3]


async def test_permanent_failure_terminates_and_gives_up_once(jetstream):
    name = await _consumer(jetstream, max_deliver=5)
    [job] = await _publish(jetstream, 1)
    given_up = []

    async def handler(event, msg):
        raise PermanentFailure("cannot be said")

    async def give_up(event, reason):
        given_up.append((event.job_id, reason))

    await ConsumerRunner(
        jetstream, name, handler, events=JOB_EVENTS, on_give_up=give_up, options=_fast()
    ).run()
    assert given_up == [(job, "cannot be said")]
    assert (await _info(jetstream, name)).num_ack_pending == 0


async def test_unexpected_errors_are_retried_until_max_deliver(jetstream):
    name = await _consumer(jetstream, max_deliver=3)
    [_job] = await _publish(jetstream, 1)
    attempts, given_up = [], []

    async def handler(event, msg):
        attempts.append(msg.metadata.num_delivered)
        raise ConnectionError("storage unreachable")

    async def give_up(event, reason):
        given_up.append(reason)

    options = _fast(max_deliver=3)
    await ConsumerRunner(
        jetstream, name, handler, events=JOB_EVENTS, on_give_up=give_up, options=options
    ).run()
    assert attempts == [1, 2, 3]
    assert given_up == ["gave up after 3 attempts: ConnectionError: storage unreachable"]


async def test_heartbeats_keep_a_long_message_from_redelivery(jetstream):
    """The handler keeps its message for twice ack_wait while a second reader of the same
    consumer keeps asking for it: only the runner's heartbeats stop the server from handing it
    over. Without them the reader gets it (a second delivery) and the hold ends there."""
    ack_wait = 1.0
    name = await created_consumer(jetstream, max_deliver=5, ack_wait=ack_wait)
    await _publish(jetstream, 1)
    rival = await jetstream.pull_subscribe_bind(durable=name, stream=subjects.STREAM)
    attempts: list[int] = []
    heartbeats: list[float] = []
    handed_over: list[int] = []

    async def handler(event, msg):
        attempts.append(msg.metadata.num_delivered)
        beat = msg.in_progress

        async def counted_beat():
            heartbeats.append(time.monotonic())
            await beat()

        msg.in_progress = counted_beat  # the runner heartbeats through this very message
        held_until = time.monotonic() + 2 * ack_wait
        while time.monotonic() < held_until and not handed_over:
            with contextlib.suppress(nats.errors.TimeoutError):
                taken = await rival.fetch(1, timeout=0.25)
                handed_over.extend(m.metadata.num_delivered for m in taken)

    options = _fast(heartbeat_s=0.25)
    runner = ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=options)
    async with asyncio.timeout(30):
        await runner.run()
    await rival.unsubscribe()
    assert handed_over == [], "the server gave the message out again while it was held"
    assert attempts == [1] and runner.processed == 1
    assert len(heartbeats) >= 2 * ack_wait / 0.25 - 2, heartbeats
    info = await _info(jetstream, name)
    assert info.delivered.consumer_seq == 1, "one delivery in all"
    assert info.num_redelivered == 0 and info.num_ack_pending == 0


async def _publish_for(js, user: str, n: int) -> list[str]:
    publish = EventPublisher(js)
    ids = []
    for _ in range(n):
        event = job_created(MultiRoleRequest.model_validate(dialogue()), user_id=user)
        await publish(event)
        ids.append(event.job_id)
    return ids


async def test_fair_runner_serves_a_single_job_before_another_users_backlog(jetstream):
    name = await _consumer(jetstream, max_deliver=5)
    backlog = await _publish_for(jetstream, "alice", 8)
    [single] = await _publish_for(jetstream, "bob", 1)
    order: list[str] = []

    async def handler(event, msg):
        order.append(event.job_id)
        await asyncio.sleep(0.05)

    options = _fast(slots=1, prefetch=16, fair_key=lambda e: e.data.user_id, per_key_limit=3)
    await ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=options).run()
    assert sorted(order) == sorted([*backlog, single])
    assert order.index(single) == 1, "bob's job goes right after the first of alice's"


async def test_fair_runner_looks_past_a_backlog_deeper_than_its_prefetch(jetstream):
    """Bob's job lies behind forty of alice's, ten times what the runner prefetches: it looks
    further (its fair window) and starts bob's after at most one more. It keeps no body here,
    so every job it starts is read again from the stream."""
    name = await _consumer(jetstream, max_deliver=5)
    backlog = await _publish_for(jetstream, "alice", 40)
    [single] = await _publish_for(jetstream, "bob", 1)
    order: list[str] = []
    delivered: list[int] = []

    async def handler(event, msg):
        order.append(event.job_id)
        delivered.append(msg.metadata.num_delivered)
        assert event.data.request.turns, "a job held without its body is read again in full"
        await asyncio.sleep(0.02)

    options = _fast(
        slots=1, prefetch=4, fair_window=100, kept_bodies_bytes=0,
        fair_key=lambda e: e.data.user_id, per_key_limit=3,
    )  # fmt: skip
    runner = ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=options)
    await runner.run()
    assert sorted(order) == sorted([*backlog, single]) and runner.processed == 41
    assert order.index(single) <= 1, f"bob's job started after {order.index(single)} of alice's"
    assert set(delivered) == {1}, "looking ahead costs no delivery"


async def test_two_fair_runners_looking_ahead_run_every_job_once(jetstream):
    """Two workers on one consumer, both able to look past alice's backlog: each job runs
    exactly once, on its first delivery, and bob's is not left behind the backlog."""
    name = await _consumer(jetstream, max_deliver=5)
    backlog = await _publish_for(jetstream, "alice", 40)
    [single] = await _publish_for(jetstream, "bob", 1)
    order: list[str] = []
    delivered: list[int] = []

    async def handler(event, msg):
        order.append(event.job_id)
        delivered.append(msg.metadata.num_delivered)
        await asyncio.sleep(0.02)

    options = _fast(
        slots=1, prefetch=4, fair_window=100, kept_bodies_bytes=0,
        fair_key=lambda e: e.data.user_id, per_key_limit=3,
    )  # fmt: skip
    runners = [
        ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=options)
        for _ in range(2)
    ]
    await asyncio.gather(*(runner.run() for runner in runners))
    assert sorted(order) == sorted([*backlog, single]), "every job once, none twice"
    assert set(delivered) == {1}, "looking ahead hands nothing back"
    # Bob's job takes the next slot of the worker holding it; the other, which cannot know of
    # it, goes on with alice's meanwhile: a few of hers, not the backlog.
    assert order.index(single) <= 4, f"bob's job started after {order.index(single)} of alice's"


async def test_fair_runner_caps_jobs_running_per_user(jetstream):
    name = await _consumer(jetstream, max_deliver=5)
    await _publish_for(jetstream, "alice", 6)
    await _publish_for(jetstream, "bob", 2)
    running = {"alice": 0, "bob": 0}
    peak = {"alice": 0, "bob": 0}

    async def handler(event, msg):
        user = event.data.user_id
        running[user] += 1
        peak[user] = max(peak[user], running[user])
        await asyncio.sleep(0.1)
        running[user] -= 1

    options = _fast(slots=4, prefetch=8, fair_key=lambda e: e.data.user_id, per_key_limit=2)
    runner = ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=options)
    await runner.run()
    assert runner.processed == 8
    assert peak == {"alice": 2, "bob": 2}


async def test_deferred_jobs_are_held_not_redelivered(jetstream):
    name = await _consumer(jetstream, max_deliver=2)
    [waits] = await _publish_for(jetstream, "alice", 1)
    [other] = await _publish_for(jetstream, "bob", 1)
    calls: list[tuple[str, int]] = []

    async def handler(event, msg):
        calls.append((event.job_id, msg.metadata.num_delivered))
        if event.job_id == waits and sum(1 for j, _ in calls if j == waits) < 4:
            raise RetryLater("alice is at her limit", delay_s=0.05, hold=True)
        await asyncio.sleep(0)

    options = _fast(slots=1, prefetch=4, fair_key=lambda e: e.data.user_id, per_key_limit=1)
    runner = ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=options)
    await runner.run()
    assert runner.processed == 2
    assert (other, 1) in calls
    assert [d for j, d in calls if j == waits] == [1, 1, 1, 1], "deferrals are not deliveries"


@pytest.mark.parametrize("fair", [False, True], ids=["in order", "fair"])
async def test_a_message_with_nothing_to_do_is_acked_unread(jetstream, fair):
    """The notifier's final events of jobs without a callback: acked without being decoded or
    handled, so even a body that would not decode is not a dead letter."""
    name = await _consumer(jetstream, max_deliver=3)
    [handled] = await _publish(jetstream, 1)
    await jetstream.publish(
        subjects.job_event(str(uuid.uuid4()), JobCreated.kind),
        b"not an event",
        headers=dict([NO_CALLBACK]),
    )
    seen = []

    async def handler(event, msg):
        seen.append(event.job_id)

    fairly = {"fair_key": lambda event: event.data.user_id} if fair else {}
    options = _fast(nothing_to_do=lambda msg: has_no_callback(msg.headers), **fairly)
    runner = ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=options)
    await runner.run()
    assert seen == [handled] and runner.processed == 2
    info = await _info(jetstream, name)
    assert info.num_pending == 0 and info.num_ack_pending == 0
