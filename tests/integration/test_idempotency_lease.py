"""An Idempotency-Key's in-flight claim on a real nats-server: renewed, it outlives its lease;
once its holder's connection is gone (a gateway killed), a retry takes it over after the lease,
not after the 30 s that gateways without leases wait."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from tests.conftest import eventually
from ttsjobs.messaging.connect import connect_nats
from ttsjobs_gateway.errors import DuplicateInFlight
from ttsjobs_gateway.idempotency import IdempotencyKeys, idempotency_bucket

LEASE_S = 2.0  # shorter than the gateway's, for a short test; the logic is the same


async def _keys(url: str, name: str):
    nc = await connect_nats(url, name=name)
    keys = IdempotencyKeys(await idempotency_bucket(nc.jetstream()), lease_s=LEASE_S,
                           renew_every_s=LEASE_S / 4)  # fmt: skip
    return nc, keys


async def test_a_claim_whose_holder_stopped_renewing_is_taken_over_after_its_lease(own_nats):
    holder_nc, holder = await _keys(own_nats.url, "holder")
    retry_nc, retrier = await _keys(own_nats.url, "retrier")
    key, claimed, leave = f"lease-{uuid.uuid4()}", asyncio.Event(), asyncio.Event()
    job_ids: list[str] = []

    async def hold() -> None:
        async with holder.claim("u1", key, "body", "job-of-the-holder") as claim:
            job_ids.append(claim.job_id)
            claimed.set()
            await leave.wait()

    holding = asyncio.create_task(hold())
    try:
        await asyncio.wait_for(claimed.wait(), timeout=10)
        kv = await idempotency_bucket(retry_nc.jetstream())
        name = IdempotencyKeys._name("u1", key)
        first_at = await _renewed_at(kv, name)
        # Renewed past its first lease: held by renewals alone.
        await eventually(
            lambda: _renewed_past(kv, name, first_at + LEASE_S), timeout_s=10, what="renewals"
        )
        with pytest.raises(DuplicateInFlight):
            async with retrier.claim("u1", key, "body", "job-of-the-retry"):
                pass

        await holder_nc.close()  # its gateway is gone: no more renewals
        # Well within the 30 s of a claim that is never renewed (UNRENEWED_LEASE_S).
        taken = await eventually(lambda: _take(retrier, key), timeout_s=10, what="takeover")
        assert taken == "job-of-the-holder" == job_ids[0]
    finally:
        leave.set()
        await holding
        await retry_nc.close()


async def _renewed_at(kv, name: str) -> float:
    return json.loads((await kv.get(name)).value)["at"]


async def _renewed_past(kv, name: str, at: float) -> bool:
    return await _renewed_at(kv, name) > at


async def _take(keys: IdempotencyKeys, key: str) -> str | None:
    try:
        async with keys.claim("u1", key, "body", "job-of-the-retry") as claim:
            assert not claim.done
            await claim.finish()
            return claim.job_id
    except DuplicateInFlight:
        return None
