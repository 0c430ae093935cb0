"""An Idempotency-Key's in-flight claim is a lease: renewed while its request runs, taken over
once its holder stops renewing, and fenced by the KV revision. A fake clock decides when a
lease lapses; a small in-memory bucket stands in for the KV (revisions as JetStream's)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError

from tests.conftest import eventually
from ttsjobs_gateway.errors import DuplicateInFlight, InvalidRequest
from ttsjobs_gateway.idempotency import (
    LEASE_S,
    UNRENEWED_LEASE_S,
    Held,
    IdempotencyKeys,
    judge,
)


def _record(at: float, **more) -> dict:
    return {"state": "pending", "body": "b", "job_id": "j1", "at": at, **more}


def test_a_claim_is_held_for_its_lease_after_its_last_renewal():
    record = _record(100.0, lease_s=LEASE_S)
    assert judge(record, "b", now=100.0 + LEASE_S - 0.01) is Held.IN_FLIGHT
    assert judge(record, "b", now=100.0 + LEASE_S) is Held.LAPSED


def test_a_claim_from_a_gateway_without_leases_keeps_the_old_grace_period():
    record = _record(100.0)  # no lease_s: its holder never renews
    assert judge(record, "b", now=100.0 + LEASE_S + 1) is Held.IN_FLIGHT
    assert judge(record, "b", now=100.0 + UNRENEWED_LEASE_S) is Held.LAPSED


def test_an_unconfirmed_claim_lapses_at_once_and_a_done_one_never():
    assert judge(_record(0, lease_s=LEASE_S), "b", now=1000.0) is Held.LAPSED
    assert judge(_record(100.0, state="done"), "b", now=1e12) is Held.DONE
    assert judge(_record(100.0, state="done"), "other", now=100.0) is Held.OTHER_BODY


@dataclass
class _Entry:
    value: bytes
    revision: int


class MemoryBucket:
    """create/get/update/put/delete of a KV bucket, refusing a write on a stale revision."""

    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}
        self._revision = 0

    def _store(self, name: str, value: bytes) -> int:
        self._revision += 1
        self.entries[name] = _Entry(value, self._revision)
        return self._revision

    def record(self, name: str) -> dict:
        return json.loads(self.entries[name].value)

    async def create(self, name: str, value: bytes) -> int:
        if name in self.entries:
            raise KeyWrongLastSequenceError
        return self._store(name, value)

    async def get(self, name: str) -> _Entry:
        if name not in self.entries:
            raise KeyNotFoundError
        return self.entries[name]

    async def update(self, name: str, value: bytes, last: int) -> int:
        if self.entries[name].revision != last:
            raise KeyWrongLastSequenceError
        return self._store(name, value)

    async def put(self, name: str, value: bytes) -> int:
        return self._store(name, value)

    async def delete(self, name: str, last: int) -> None:
        if self.entries[name].revision != last:
            raise KeyWrongLastSequenceError
        del self.entries[name]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _keys(bucket: MemoryBucket, clock: FakeClock, renew_every_s: float = 0.01):
    return IdempotencyKeys(bucket, clock=clock, renew_every_s=renew_every_s)  # type: ignore[arg-type]


async def test_a_renewed_claim_outlives_its_lease_and_lapses_once_renewals_stop():
    bucket, clock = MemoryBucket(), FakeClock()
    keys = _keys(bucket, clock)
    async with keys.claim("u1", "k", "b", "job-a") as first:
        (name,) = bucket.entries
        clock.now += LEASE_S - 0.5
        await eventually(lambda: _renewed_at(bucket, name, clock.now), timeout_s=5, what="renewed")
        clock.now += LEASE_S - 0.5  # past the first lease: held only by the renewal
        with pytest.raises(DuplicateInFlight) as refused:
            async with keys.claim("u1", "k", "b", "job-b"):
                pass
        assert refused.value.headers == {"Retry-After": "1"}
    # Its holder left without finishing (as a gateway that died): no more renewals.
    clock.now += LEASE_S
    async with keys.claim("u1", "k", "b", "job-b") as retry:
        assert (retry.job_id, retry.done) == (first.job_id, False) == ("job-a", False)
        await retry.finish()
    async with keys.claim("u1", "k", "b", "job-c") as later:
        assert (later.job_id, later.done) == ("job-a", True)
    with pytest.raises(InvalidRequest):
        async with keys.claim("u1", "k", "another body", "job-d"):
            pass


async def _renewed_at(bucket: MemoryBucket, name: str, now: float) -> bool:
    return bucket.record(name)["at"] == now


async def test_a_holder_too_slow_to_renew_is_fenced_off_by_the_taker():
    bucket, clock = MemoryBucket(), FakeClock()
    slow = _keys(bucket, clock, renew_every_s=0.2)
    async with slow.claim("u1", "k", "b", "job-a") as first:
        clock.now += LEASE_S  # its lease lapsed before its next renewal
        async with _keys(bucket, clock).claim("u1", "k", "b", "job-b") as taker:
            assert taker.job_id == "job-a"
            await eventually(lambda: _stopped(first), timeout_s=5, what="the slow one stops")
            assert bucket.entries[next(iter(bucket.entries))].revision == taker.revision
            await first.release()  # refused by the revision: the taker's claim stands
            assert bucket.entries, "the taker's claim was not deleted"


async def _stopped(claim) -> bool:
    return claim._renewing.done()


async def test_a_released_claim_leaves_the_key_free_and_an_unconfirmed_one_lapses_at_once():
    bucket, clock = MemoryBucket(), FakeClock()
    keys = _keys(bucket, clock)
    async with keys.claim("u1", "k", "b", "job-a") as first:
        await first.release()
    assert not bucket.entries
    async with keys.claim("u1", "k", "b", "job-b") as second:
        await second.unconfirmed()
    async with keys.claim("u1", "k", "b", "job-c") as retry:  # no clock change needed
        assert (retry.job_id, retry.done) == ("job-b", False)
