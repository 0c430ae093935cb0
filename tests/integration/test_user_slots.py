"""Per-user slots as leases in a key-value bucket, shared by every synthesis process."""

from __future__ import annotations

import uuid

from tests.conftest import eventually
from ttsjobs.messaging.user_slots import UserSlots, user_slots_bucket


async def _slots(js, *, limit: int, ttl: float = 30.0) -> UserSlots:
    kv = await user_slots_bucket(js, lease_ttl_s=ttl, bucket=f"slots_{uuid.uuid4().hex[:8]}")
    return UserSlots(kv, limit=limit)


async def test_a_user_holds_at_most_the_limit_and_a_release_frees_one(jetstream):
    slots = await _slots(jetstream, limit=2)
    first = await slots.acquire("alice", "job-1")
    second = await slots.acquire("alice", "job-2")
    assert first and second and first != second
    assert await slots.acquire("alice", "job-3") is None
    assert await slots.acquire("bob", "job-4") is not None, "other users are not affected"

    await slots.release(first, "job-1")
    assert await slots.acquire("alice", "job-3") == first


async def test_two_workers_cannot_both_take_the_last_slot(jetstream, own_nats):
    import nats

    kv_name = f"slots_{uuid.uuid4().hex[:8]}"
    other = await nats.connect(own_nats.url)
    try:
        mine = UserSlots(
            await user_slots_bucket(jetstream, lease_ttl_s=30, bucket=kv_name), limit=1
        )
        theirs = UserSlots(
            await user_slots_bucket(other.jetstream(), lease_ttl_s=30, bucket=kv_name), limit=1
        )
        import asyncio

        got = await asyncio.gather(mine.acquire("u", "job-a"), theirs.acquire("u", "job-b"))
        assert sorted(g is None for g in got) == [False, True]
    finally:
        await other.close()


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
