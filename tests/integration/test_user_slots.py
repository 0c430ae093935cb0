"""Per-user slots as leases in a key-value bucket, shared by every synthesis process."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
from nats.js.errors import KeyNotFoundError
from structlog.testing import capture_logs

from tests.conftest import eventually
from ttsjobs.messaging.connect import connect_nats
from ttsjobs.messaging.user_slots import UserSlots, user_slots_bucket
from ttsjobs_cli.embedded.servers import start_nats


async def _slots(js, *, limit: int, ttl: float = 30.0) -> UserSlots:
    kv = await user_slots_bucket(js, lease_ttl_s=ttl, bucket=f"slots_{uuid.uuid4().hex[:8]}")
    return UserSlots(kv, limit=limit)


async def _writes(slots: UserSlots) -> int:
    """Messages the bucket has stored so far: every lease, renewal and delete marker."""
    return (await slots._kv._js.stream_info(slots._kv._stream)).state.last_seq


async def test_a_user_holds_at_most_the_limit_and_a_release_frees_one(jetstream):
    slots = await _slots(jetstream, limit=2)
    first = await slots.acquire("alice", "job-1")
    second = await slots.acquire("alice", "job-2")
    assert first and second and first != second
    assert await slots.acquire("alice", "job-3") is None
    assert await slots.acquire("bob", "job-4") is not None, "other users are not affected"

    await slots.release(first, "job-1")
    assert await slots.acquire("alice", "job-3") == first


@contextlib.asynccontextmanager
async def _two_workers(
    jetstream, own_nats_url: str, *, hand_over_s: float = 0.1
) -> AsyncIterator[tuple[UserSlots, UserSlots]]:
    """Two synthesis processes' slots, one slot per user, on their own connections."""
    import nats

    kv_name = f"slots_{uuid.uuid4().hex[:8]}"
    other = await nats.connect(own_nats_url)
    try:
        mine = UserSlots(
            await user_slots_bucket(jetstream, lease_ttl_s=30, bucket=kv_name),
            limit=1,
            hand_over_s=hand_over_s,
        )
        theirs = UserSlots(
            await user_slots_bucket(other.jetstream(), lease_ttl_s=30, bucket=kv_name), limit=1
        )
        yield mine, theirs
    finally:
        await other.close()


async def test_two_workers_cannot_both_take_the_last_slot(jetstream, own_nats):
    async with _two_workers(jetstream, own_nats.url) as (mine, theirs):
        got = await asyncio.gather(mine.acquire("u", "job-a"), theirs.acquire("u", "job-b"))
        assert sorted(g is None for g in got) == [False, True]


async def test_a_redelivered_job_keeps_its_own_lease(jetstream):
    slots = await _slots(jetstream, limit=1)
    key = await slots.acquire("alice", "job-1")
    assert await slots.acquire("alice", "job-1") == key
    await slots.release(key, "someone-else")  # not the holder: nothing happens
    assert await slots.acquire("alice", "job-2") is None


async def test_a_dead_workers_lease_lapses(jetstream):
    slots = await _slots(jetstream, limit=1, ttl=1.0)
    assert await slots.acquire("alice", "job-1")

    async def free_again():
        return await slots.acquire("alice", "job-2")

    assert await eventually(free_again, timeout_s=10, what="the lease lapsing")


async def test_many_workers_racing_for_a_users_slots_never_exceed_the_limit(jetstream, own_nats):
    import nats

    kv_name = f"slots_{uuid.uuid4().hex[:8]}"
    others = [await nats.connect(own_nats.url) for _ in range(3)]
    try:
        workers = [
            UserSlots(
                await user_slots_bucket(c.jetstream(), lease_ttl_s=30, bucket=kv_name), limit=3
            )
            for c in others
        ]
        jobs = [f"job-{i}" for i in range(12)]
        got = await asyncio.gather(
            *(workers[i % 3].acquire("alice", job) for i, job in enumerate(jobs))
        )
        taken = [key for key in got if key is not None]
        assert 1 <= len(taken) <= 3 and len(set(taken)) == len(taken), got
        # Whatever was lost to races is there to take now, and no more than the limit.
        waiting = [job for job, key in zip(jobs, got, strict=True) if key is None]
        more = [await workers[0].acquire("alice", job) for job in waiting]
        assert len(taken) + len([k for k in more if k]) == 3
    finally:
        for c in others:
            await c.close()


async def test_a_bucket_made_without_direct_gets_is_upgraded(jetstream):
    from nats.js.api import KeyValueConfig

    name = f"slots_{uuid.uuid4().hex[:8]}"
    await jetstream.create_key_value(KeyValueConfig(bucket=name, history=1, ttl=30))
    slots = UserSlots(await user_slots_bucket(jetstream, lease_ttl_s=30, bucket=name), limit=1)
    assert (await jetstream.stream_info(f"KV_{name}")).config.allow_direct
    key = await slots.acquire("alice", "job-1")
    assert key and await slots.acquire("alice", "job-2") is None
    await slots.release(key, "job-1")
    assert await slots.acquire("alice", "job-2") == key


async def test_a_first_delivery_takes_a_slot_it_knows_is_free_without_reading(jetstream):
    slots = await _slots(jetstream, limit=2)
    first = await slots.acquire("alice", "job-1", first_delivery=True)
    await slots.release(first, "job-1")
    reads = _count_reads(slots)
    again = await slots.acquire("alice", "job-2", first_delivery=True)
    other = await slots.acquire("alice", "job-3", first_delivery=True)
    assert {again, other} == {"alice.0", "alice.1"}
    assert reads == [], "slots known to be free are taken with one write each"
    assert await slots.acquire("alice", "job-4", first_delivery=True) is None
    assert reads == ["alice"], "with none known free, the slots are read"


async def test_a_known_free_slot_taken_by_another_worker_is_not_taken_twice(jetstream, own_nats):
    async with _two_workers(jetstream, own_nats.url) as (mine, theirs):
        key = await mine.acquire("u", "job-a", first_delivery=True)
        await mine.release(key, "job-a")
        await mine.let_go_all()  # freed now, not after the hand-over time: mine remembers it free
        assert await theirs.acquire("u", "job-b", first_delivery=True) == key
        reads = _count_reads(mine)
        assert await mine.acquire("u", "job-c", first_delivery=True) is None
        assert reads, "the stale guess failed its conditional write and the slots were read"
        await theirs.release(key, "job-b")
        await theirs.let_go_all()
        assert await mine.acquire("u", "job-c", first_delivery=True) == key


async def test_a_redelivered_job_reads_the_slots_and_keeps_its_lease(jetstream):
    slots = await _slots(jetstream, limit=2)
    spare = await slots.acquire("alice", "job-0", first_delivery=True)
    await slots.release(spare, "job-0")  # a slot remembered as free
    key = await slots.acquire("alice", "job-1", first_delivery=True)
    assert await slots.acquire("alice", "job-1") == key, "not a second slot for the same job"
    assert await slots.acquire("alice", "job-2") is not None
    assert await slots.acquire("alice", "job-3") is None


async def test_the_users_next_job_takes_a_released_slot_over_with_one_write(jetstream):
    slots = await _slots(jetstream, limit=1)
    key = await slots.acquire("alice", "job-1", first_delivery=True)
    before = await _writes(slots)
    reads = _count_reads(slots)
    await slots.release(key, "job-1")
    assert await slots.acquire("alice", "job-2", first_delivery=True) == key
    assert await _writes(slots) == before + 1, "the new lease only: no delete marker first"
    assert reads == []
    assert (await slots._kv.get(key)).value == b"job-2"
    await slots.release(key, "job-2")
    await slots.let_go_all()
    assert await _writes(slots) == before + 2
    with pytest.raises(KeyNotFoundError):  # a delete marker
        await slots._kv.get(key)


async def test_a_released_slot_nobody_here_takes_is_freed_for_other_workers(jetstream, own_nats):
    async with _two_workers(jetstream, own_nats.url, hand_over_s=0.05) as (mine, theirs):
        key = await mine.acquire("u", "job-a", first_delivery=True)
        await mine.release(key, "job-a")

        async def taken_by_theirs():
            return await theirs.acquire("u", "job-b", first_delivery=True)

        assert await eventually(taken_by_theirs, timeout_s=10, what="the slot freed") == key
        assert await mine.acquire("u", "job-c", first_delivery=True) is None


async def test_closing_frees_every_slot_held_back(jetstream, own_nats):
    async with _two_workers(jetstream, own_nats.url, hand_over_s=3600) as (mine, theirs):
        key = await mine.acquire("u", "job-a", first_delivery=True)
        await mine.release(key, "job-a")
        assert await theirs.acquire("u", "job-b") is None, "held back for mine's next job"
        await mine.let_go_all()
        assert await theirs.acquire("u", "job-b") == key


async def test_a_redelivered_job_takes_back_the_slot_it_released(jetstream):
    slots = await _slots(jetstream, limit=2)
    key = await slots.acquire("alice", "job-1", first_delivery=True)
    await slots.release(key, "job-1")  # handed back on shutdown, say
    assert await slots.acquire("alice", "job-1") == key
    await slots.let_go_all()  # nothing held back any more: the lease stays
    assert (await slots._kv.get(key)).value == b"job-1"


def _count_reads(slots: UserSlots) -> list[str]:
    reads: list[str] = []
    read = slots._slots_of

    async def counted(user_id: str):
        reads.append(user_id)
        return await read(user_id)

    slots._slots_of = counted  # type: ignore[method-assign]
    return reads


async def test_a_slot_freed_while_nats_restarts_is_freed_once_it_is_back(tmp_path):
    """The delete marker is written again until NATS takes it: the user does not lose the slot
    until the lease lapses (60 s here, far past the test's deadline)."""
    server = start_nats(tmp_path / "nats")
    nc = await connect_nats(server.url, name="synthesis")
    other = None
    try:
        kv = await user_slots_bucket(nc.jetstream(), lease_ttl_s=60, bucket="slots_restart")
        slots = UserSlots(kv, limit=1, hand_over_s=0.2)
        key = await slots.acquire("u", "job-a", first_delivery=True)
        await slots.release(key, "job-a")
        with capture_logs() as logs:
            server.stop()  # before the hand-over time ends: the first marker cannot be written

            async def retrying():
                return any(line["event"] == "user_slot.release_retrying" for line in logs)

            await eventually(retrying, timeout_s=30, what="a marker NATS did not take")
        server = start_nats(tmp_path / "nats", port=server.port)
        other = await connect_nats(server.url, name="another synthesis")
        theirs = UserSlots(
            await user_slots_bucket(other.jetstream(), lease_ttl_s=60, bucket="slots_restart"),
            limit=1,
        )

        async def freed():
            return await theirs.acquire("u", "job-b")

        assert await eventually(freed, timeout_s=30, what="the slot freed after the restart")
    finally:
        for client in (nc, other):
            if client is not None:
                await client.close()
        server.stop()
