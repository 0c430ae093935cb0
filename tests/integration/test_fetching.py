"""The fetcher follows each pull request to its end, so that a runner that stops leaves nothing
unacked behind it: what the server delivers after the runner stopped waiting is still handed
over by ``close()``."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.conftest import eventually
from tests.integration.conftest import created_consumer
from tests.integration.test_consumer_runner import _info, _publish
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import parse_event
from ttsjobs.messaging.batch_consumer import BatchOptions, BatchRunner
from ttsjobs.messaging.event_families import JOB_EVENTS
from ttsjobs.messaging.fetching import Fetcher


def _job_ids(msgs) -> list[str]:
    return [parse_event(m.data).job_id for m in msgs]


async def _all_acked(js, name: str) -> None:
    """The server takes acks in on its own queue, so its count may lag a moment; anything
    left unacked would stay so for the whole 30 s ack_wait."""

    async def none_pending():
        return (await _info(js, name)).num_ack_pending == 0

    await eventually(none_pending, timeout_s=5, what="every delivered message acked")


async def _bound(js, name: str) -> Fetcher:
    return await Fetcher.bind(js, stream=subjects.STREAM, durable=name)


async def test_what_arrives_after_a_fetch_gave_up_is_handed_over_by_close(jetstream):
    name = await created_consumer(jetstream, max_deliver=-1, ack_wait=30)
    fetch = await _bound(jetstream, name)
    # The runner stops waiting while the server still holds its request (stopped mid-fetch).
    waiting = asyncio.create_task(fetch(10, 3.0))

    async def request_held():
        return (await _info(jetstream, name)).num_waiting == 1

    await eventually(request_held, what="the request held by the server")
    waiting.cancel()
    published = await _publish(jetstream, 2)

    left = await fetch.close()
    # The server ends the request once caught up, which may be before the second publish.
    assert left and _job_ids(left) == published[: len(left)]
    for msg in left:
        await msg.ack()
    await _all_acked(jetstream, name)
    assert (await _info(jetstream, name)).num_waiting == 0


async def test_a_fetch_returns_once_caught_up_not_at_its_deadline(jetstream):
    name = await created_consumer(jetstream, max_deliver=-1)
    fetch = await _bound(jetstream, name)
    published = await _publish(jetstream, 3)
    started = time.monotonic()
    msgs = await fetch(500, 5.0)
    assert _job_ids(msgs) == published
    # Well under the 5 s asked for: the server ended the request once nothing more was queued.
    assert time.monotonic() - started < 2.5
    assert await fetch.close() == []


async def test_a_full_batch_ends_the_request_and_the_rest_waits_for_the_next(jetstream):
    name = await created_consumer(jetstream, max_deliver=-1, max_ack_pending=100)
    fetch = await _bound(jetstream, name)
    published = await _publish(jetstream, 5)
    first = await fetch(2, 5.0)
    second = await fetch(10, 5.0)
    assert _job_ids(first + second) == published
    assert await fetch(10, 0.3) is None  # nothing left: the deadline passes
    assert await fetch.close() == []


async def test_a_refused_request_is_a_pause_not_a_hang(jetstream):
    fetch = await _bound(jetstream, "no-such-consumer")
    started = time.monotonic()
    assert await fetch(10, 5.0) == []  # the server's refusal, after the fetcher's pause
    assert time.monotonic() - started < 4.0
    await fetch.close()


@pytest.mark.parametrize("stop_after", [1, 10, 40])
async def test_a_stopped_batch_runner_leaves_nothing_unacked(jetstream, stop_after):
    name = await created_consumer(jetstream, max_deliver=-1, ack_wait=30, max_ack_pending=1000)
    applied: list[str] = []

    async def handler(batch):
        applied.extend(event.job_id for event, _ in batch)

    runner = BatchRunner(
        jetstream, name, handler, events=JOB_EVENTS, options=BatchOptions(fetch_timeout_s=0.5)
    )
    running = asyncio.create_task(runner.run())
    published: list[str] = []

    async def keep_publishing():
        while True:
            published.extend(await _publish(jetstream, 1))
            await asyncio.sleep(0.01)

    publishing = asyncio.create_task(keep_publishing())

    async def applied_some():
        return len(applied) >= stop_after  # stopped at different points of its fetch cycle

    await eventually(applied_some, what=f"{stop_after} applied")
    runner.stop()
    await running
    publishing.cancel()
    await _all_acked(jetstream, name)
    assert applied == published[: len(applied)]  # in order, a prefix of what was published


async def test_what_a_fetch_hands_over_no_longer_counts_against_the_slow_consumer_limit(jetstream):
    # The subscription's queue is read directly; if its byte count were not kept, a long
    # replay would reach nats-py's pending limit and have its deliveries dropped.
    name = await created_consumer(jetstream, max_deliver=-1, ack_wait=30)
    fetch = await _bound(jetstream, name)
    published = await _publish(jetstream, 30)
    taken = []
    while len(taken) < len(published):
        taken += await fetch(50, 2.0) or []
    assert _job_ids(taken) == published
    assert fetch._sub is not None
    assert fetch._sub.pending_msgs == 0 and fetch._sub.pending_bytes == 0
    for msg in taken:
        await msg.ack()
    assert await fetch.close() == []
