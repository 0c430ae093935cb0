"""Every nats-server the suite starts fsyncs each JetStream write before it acknowledges it
(`sync_interval: always`), as the running server itself reports on /varz: the suite's shared
servers and the integration tests' own."""

from __future__ import annotations

import pytest

from ttsjobs_cli.embedded.servers import NatsServer
from ttsjobs_cli.embedded.stack import Stack


def test_the_suite_servers_nats_fsyncs_before_it_acks(servers: Stack):
    nats = servers.server(NatsServer)
    if nats is None:
        pytest.skip("an outside nats-server (TTSJOBS_NATS_URL): not one the project starts")
    assert nats.reported_jetstream_config()["sync_always"] is True


def test_the_integration_tests_nats_fsyncs_before_it_acks(own_nats: NatsServer):
    assert own_nats.reported_jetstream_config()["sync_always"] is True
