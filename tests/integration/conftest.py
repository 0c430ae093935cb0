"""Integration tests get a nats-server of their own, so that the services of the end-to-end
tests never see the events these tests publish."""

from __future__ import annotations

import uuid

import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from ttsjobs.contracts import subjects
from ttsjobs.messaging.topology import ensure_streams
from ttsjobs_cli.embedded.servers import start_nats


@pytest.fixture(scope="module")
def own_nats(tmp_path_factory):
    server = start_nats(tmp_path_factory.mktemp("nats"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def jetstream(own_nats):
    nc = await nats.connect(own_nats.url)
    js = nc.jetstream()
    await ensure_streams(js)
    try:
        yield js
    finally:
        await nc.close()


async def created_consumer(
    js, *, max_deliver: int, ack_wait: float = 5, max_ack_pending: int | None = None
) -> str:
    """A durable consumer of the JobCreated events published after it exists."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    await js.add_consumer(
        subjects.STREAM,
        ConsumerConfig(
            durable_name=name,
            filter_subject=subjects.every_job("created"),
            deliver_policy=DeliverPolicy.NEW,  # only what the test publishes
            ack_policy=AckPolicy.EXPLICIT,
            max_deliver=max_deliver,
            ack_wait=ack_wait,
            max_ack_pending=max_ack_pending,
        ),
    )
    return name
