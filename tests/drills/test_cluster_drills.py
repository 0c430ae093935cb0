"""Drills on the cluster stack (3 NATS nodes, streams and buckets at R3, two gateways, two
synthesis processes): each kills or freezes one member in the middle of a steady burst of jobs
sent by clients that retry with their Idempotency-Key, and puts it back. Then the stream, the
table and the bucket must show that no job a client was told about was lost or done twice, and
one user's backlog must still not hold up another's (tests/support/drill_invariants.py).

Each drill prints its row of the table in bench/README.md (bench/cluster_drills.py runs them at
full size); speed is reported, never asserted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import User, create_user
from tests.support.drill_faults import cluster_stack, run_drill
from tests.support.drill_invariants import TABLE_HEAD
from ttsjobs_cli.embedded.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = cluster_stack(tmp_path_factory.mktemp("cluster"))
    stack.start_servers()
    try:
        stack.start_services()
        stack.wait_ready(timeout_s=180)
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def fair_users(cluster: Stack) -> tuple[User, User]:
    """A user who keeps a backlog, and one whose few jobs must not wait behind it."""
    return create_user(cluster, "backlogged"), create_user(cluster, "bystander")


@pytest.fixture(scope="module")
def table() -> Iterator[list[str]]:
    rows: list[str] = []
    yield rows
    print("\n" + TABLE_HEAD + "\n" + "\n".join(rows))


@pytest.mark.parametrize(
    "drill",
    [
        "job stream leader",
        "idempotency bucket leader",
        "non-leader node",
        "one gateway",
        "synthesis mid long job",
        "projection",
        "node frozen (SIGSTOP)",
    ],
)
async def test_a_member_killed_mid_burst_loses_and_doubles_no_job(
    cluster, fair_users, table, drill
):
    report, passed = await run_drill(cluster, fair_users, drill)
    assert (report.duplicates, report.lost) == (0, 0)  # check_drill asserts it in detail
    table.append(report.row())
    print(report.row(), f"(backlog jobs started before the bystander's: {passed})")
