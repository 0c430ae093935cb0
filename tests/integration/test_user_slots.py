"""Per-user slots as leases in a key-value bucket, shared by every synthesis process."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

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


@contextlib.asynccontextmanager
async def _two_workers(jetstream, own_nats_url: str) -> AsyncIterator[tuple[UserSlots, UserSlots]]:
    """Two synthesis processes' slots, one slot per user, on their own connections."""
    import nats

    kv_name = f"slots_{uuid.uuid4().hex[:8]}"
    other = await nats.connect(own_nats_url)
    try:
        mine = UserSlots(
            await user_slots_bucket(jetstream, lease_ttl_s=30, bucket=kv_name), limit=1
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
        await mine.release(key, "job-a")  # mine now remembers the slot as free
        assert await theirs.acquire("u", "job-b", first_delivery=True) == key
        reads = _count_reads(mine)
        assert await mine.acquire("u", "job-c", first_delivery=True) is None
        assert reads, "the stale guess failed its conditional write and the slots were read"
        await theirs.release(key, "job-b")
        assert await mine.acquire("u", "job-c", first_delivery=True) == key


async def test_a_redelivered_job_reads_the_slots_and_keeps_its_lease(jetstream):
    slots = await _slots(jetstream, limit=2)
    spare = await slots.acquire("alice", "job-0", first_delivery=True)
    await slots.release(spare, "job-0")  # a slot remembered as free
    key = await slots.acquire("alice", "job-1", first_delivery=True)
    assert await slots.acquire("alice", "job-1") == key, "not a second slot for the same job"
    assert await slots.acquire("alice", "job-2") is not None
    assert await slots.acquire("alice", "job-3") is None


def _count_reads(slots: UserSlots) -> list[str]:
    reads: list[str] = []
    read = slots._slots_of

    async def counted(user_id: str):
        reads.append(user_id)
        return await read(user_id)

    slots._slots_of = counted  # type: ignore[method-assign]
    return reads
