"""A 3-node JetStream cluster on loopback (the config deploy/k8s ships) keeps what it acked when
the node leading a stream or a KV bucket is killed: the streams and buckets ttsjobs creates at 3
replicas elect a new leader, publishing resumes, and the killed node comes back with the data."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import APIError, NoStreamResponseError, ServiceUnavailableError

from ttsjobs.contracts import subjects
from ttsjobs.messaging.connect import connect_nats
from ttsjobs.messaging.topology import ensure_streams
from ttsjobs.messaging.user_slots import user_slots_bucket
from ttsjobs_cli.embedded.nats_cluster import start_nats_cluster

# An election after a kill -9 waits out the raft election timeout (4-9 s in nats-server).
NEW_LEADER_WITHIN_S = 20
# What a request says while no leader answers (or this client is reconnecting).
NOT_YET = (
    NatsTimeout, NoRespondersError, NoStreamResponseError, ServiceUnavailableError, APIError,
    ConnectionError,
)  # fmt: skip


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = start_nats_cluster(tmp_path_factory.mktemp("nats-cluster"))
    try:
        yield cluster
    finally:
        cluster.stop()


async def _until_done(attempt, *, within_s: float, what: str):
    """``attempt()`` retried until it succeeds (a leader answers) or ``within_s`` passes."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            return await attempt()
        except NOT_YET:
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: still failing after {within_s}s") from None
            await asyncio.sleep(0.2)


async def test_killing_the_job_streams_leader_loses_no_acked_event(cluster):
    nc = await connect_nats(cluster.url, name="cluster-test")
    try:
        js = nc.jetstream(timeout=2)
        await ensure_streams(js, replicas=3)
        info = await js.stream_info(subjects.STREAM)
        assert info.config.num_replicas == 3 and len(info.cluster.replicas) == 2

        acked: list[str] = []

        async def publish(n: int) -> None:
            subject = subjects.job_event(f"job{n}", "created")
            await js.publish(subject, f"event {n}".encode(), headers={"Nats-Msg-Id": f"m{n}"})
            acked.append(subject)

        for n in range(100):
            await publish(n)
        leader = await asyncio.to_thread(cluster.leader_of_stream, subjects.STREAM)
        cluster.kill(leader)

        # Publishing resumes on a new leader; every publish that was acked stays.
        await _until_done(lambda: publish(100), within_s=NEW_LEADER_WITHIN_S, what="publish")
        new_leader = await asyncio.to_thread(cluster.leader_of_stream, subjects.STREAM)
        assert new_leader != leader
        for n in range(101, 200):
            await publish(n)

        # The killed node comes back with its store and catches up; then the quorum that
        # must answer includes it (another node is killed), and still has every acked event.
        await asyncio.to_thread(cluster.restart, leader)
        other = next(n.name for n in cluster.nodes if n.name not in (leader, new_leader))
        cluster.kill(other)
        try:
            for subject in acked:
                got = await _until_done(
                    lambda s=subject: js.get_last_msg(subjects.STREAM, s),
                    within_s=NEW_LEADER_WITHIN_S,
                    what=f"read {subject}",
                )
                assert got.data == f"event {subject.split('.')[2][3:]}".encode()
        finally:
            await asyncio.to_thread(cluster.restart, other)
        assert len(acked) == 200
    finally:
        await nc.close()


async def test_a_bucket_made_at_3_replicas_survives_its_leader(cluster):
    nc = await connect_nats(cluster.url, name="cluster-test")
    try:
        js = nc.jetstream(timeout=2)
        bucket = f"slots_{uuid.uuid4().hex[:8]}"
        kv = await user_slots_bucket(js, lease_ttl_s=60, bucket=bucket, replicas=3)
        info = await js.stream_info(f"KV_{bucket}")
        assert info.config.num_replicas == 3
        await kv.put("before", b"1")
        leader = await asyncio.to_thread(cluster.leader_of_bucket, bucket)
        cluster.kill(leader)
        try:
            await _until_done(
                lambda: kv.put("after", b"2"), within_s=NEW_LEADER_WITHIN_S, what="kv put"
            )
            assert (await kv.get("before")).value == b"1"
            assert await asyncio.to_thread(cluster.leader_of_bucket, bucket) != leader
        finally:
            await asyncio.to_thread(cluster.restart, leader)
    finally:
        await nc.close()
