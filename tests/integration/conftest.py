"""Integration tests get a nats-server of their own, so that the services of the end-to-end
tests never see the events these tests publish."""

from __future__ import annotations

import nats
import pytest

from ttsjobs.embedded.servers import start_nats
from ttsjobs.messaging.topology import ensure_stream


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
    await ensure_stream(js)
    try:
        yield js
    finally:
        await nc.close()
