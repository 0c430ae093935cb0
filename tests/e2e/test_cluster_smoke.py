"""The cluster layout starts and serves: three NATS nodes with every stream and bucket at 3
replicas, and two gateways that each accept a job that the two synthesis processes complete.
The drills (tests/drills/test_cluster_drills.py) break it; this only shows it works whole."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import create_user
from tests.support.jobs import dialogue, submit, wait_for_status
from ttsjobs_cli.embedded.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A cluster stack of its own (the session's stack is left alone), on tones: quick to start."""
    stack = Stack(data_dir=tmp_path_factory.mktemp("cluster-smoke"), cluster=True)
    stack.env["TTSJOBS_PROVIDERS"] = '["tone"]'
    stack.start_servers()
    try:
        stack.start_services()
        stack.wait_ready(timeout_s=180)
        yield stack
    finally:
        stack.stop()


async def test_both_gateways_accept_jobs_that_complete(cluster_stack: Stack):
    user = create_user(cluster_stack, "smoke")
    assert len(cluster_stack.gateway_urls) == 2
    for url in cluster_stack.gateway_urls:
        async with httpx.AsyncClient(base_url=url, timeout=30, headers=user.headers) as api:
            job = await submit(api, dialogue("tone", title=f"via {url}"))
            done = await wait_for_status(api, job["id"], {"completed", "failed"})
            assert done["status"] == "completed", done

    # The job stream and the shared buckets are held by all three nodes.
    nodes = cluster_stack.nats_cluster.nodes
    assert len(nodes) == 3
    for node in nodes:
        async with httpx.AsyncClient(base_url=node.monitor_url, timeout=5) as monitor:
            jsz = (await monitor.get("/jsz", params={"streams": "true"})).json()
        held = {s["name"] for a in jsz["account_details"] for s in a["stream_detail"]}
        assert {"TTSJOBS", "KV_ttsjobs_idempotency", "KV_ttsjobs_catalogue"} <= held, node.name
