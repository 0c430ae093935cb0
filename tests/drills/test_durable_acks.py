"""The drills' stack is separate from the suite's; its nats-server too fsyncs before it acks, as
the running server reports (/varz). A drill that restarts it keeps the setting."""

from __future__ import annotations

import pytest

from ttsjobs_cli.embedded.servers import NatsServer
from ttsjobs_cli.embedded.stack import Stack


def test_the_drills_nats_fsyncs_before_it_acks(servers: Stack):
    nats = servers.server(NatsServer)
    if nats is None:
        pytest.skip("an outside nats-server (TTSJOBS_NATS_URL): not one the project starts")
    assert nats.reported_jetstream_config()["sync_always"] is True
    servers.restart_nats()
    assert servers.server(NatsServer).reported_jetstream_config()["sync_always"] is True
