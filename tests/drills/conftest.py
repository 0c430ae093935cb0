"""Fault drills break things on purpose (nats-server and PostgreSQL restarts, a 2,000-job burst),
so they get a stack of their own: the rest of the suite never runs on what a drill left behind.
The fixtures keep the suite's names, so a drill reads like any other end-to-end test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Hooks, User, create_user, running_system, started_servers
from ttsjobs_cli.embedded.stack import Stack


@pytest.fixture(scope="package")
def servers(tmp_path_factory: pytest.TempPathFactory, hooks: Hooks) -> Iterator[Stack]:
    with started_servers(tmp_path_factory.mktemp("drills"), hooks=hooks) as stack:
        yield stack


@pytest.fixture(scope="package")
def stack(servers: Stack) -> Iterator[Stack]:
    with running_system(servers) as running:
        yield running


@pytest.fixture(scope="package")
def alice(stack: Stack) -> User:
    return create_user(stack, "alice")
