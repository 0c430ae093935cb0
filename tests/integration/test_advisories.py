"""A message whose worker vanished on its last delivery is still reported, so its job can end."""

from __future__ import annotations

import contextlib

import nats

from tests.conftest import eventually
from tests.integration.conftest import created_consumer
from tests.support.jobs import dialogue
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.messaging.advisories import on_exhausted_deliveries
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs_gateway.publishers import job_created


async def test_exhausted_deliveries_are_reported_with_the_event(own_nats, jetstream):
    name = await created_consumer(jetstream, max_deliver=2, ack_wait=1)
    listener = await nats.connect(own_nats.url)
    reported = []

    async def report(event, deliveries):
        reported.append((event.job_id, deliveries))

    await on_exhausted_deliveries(listener, listener.jetstream(), name, report)
    created = job_created(MultiRoleRequest.model_validate(dialogue()), user_id="u1")
    await EventPublisher(jetstream)(created)

    # A "worker" that takes the message twice and never answers, as a killed process would.
    sub = await jetstream.pull_subscribe_bind(name, stream=subjects.STREAM)
    for _ in range(2):
        [msg] = await sub.fetch(1, timeout=5)
        assert msg.metadata.num_delivered in (1, 2)

    async def was_reported():
        # Like a live worker, keep asking for work: the server notices the expired last
        # delivery when it looks for something to hand out.
        with contextlib.suppress(nats.errors.TimeoutError):
            await sub.fetch(1, timeout=0.5)
        return reported

    try:
        assert await eventually(was_reported, timeout_s=10) == [(created.job_id, 2)]
    finally:
        await listener.close()
