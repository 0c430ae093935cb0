"""At most N running jobs per user across every synthesis process: leases in a JetStream
key-value bucket.

A user has N slot keys, ``<user_id>.<n>``. Starting a job takes a free one with ``create``
(which fails if the key exists), so two workers can never both take the same slot. The holder
refreshes its lease while the job runs and deletes it when done; a worker that dies leaves a
lease that lapses after the bucket's TTL. A redelivered job finds its own lease and keeps it.
"""

from __future__ import annotations

import contextlib

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import (
    BucketNotFoundError,
    KeyDeletedError,
    KeyNotFoundError,
    KeyWrongLastSequenceError,
)
from nats.js.kv import KeyValue

BUCKET = "ttsjobs_user_slots"


async def user_slots_bucket(
    js: JetStreamContext, *, lease_ttl_s: float, bucket: str = BUCKET
) -> KeyValue:
    try:
        return await js.key_value(bucket)
    except BucketNotFoundError:
        return await js.create_key_value(
            KeyValueConfig(bucket=bucket, history=1, ttl=lease_ttl_s, storage=StorageType.FILE)
        )


class UserSlots:
    def __init__(self, kv: KeyValue, *, limit: int) -> None:
        self._kv = kv
        self.limit = limit

    async def acquire(self, user_id: str, job_id: str) -> str | None:
        """The slot key now held for ``job_id``, or None while the user is at the limit."""
        value = job_id.encode()
        for n in range(self.limit):
            key = f"{user_id}.{n}"
            try:
                await self._create(key, value)
                return key
            except KeyWrongLastSequenceError:
                holder = await self._holder(key)
                if holder is not None and holder[0] == value:
                    await self._kv.update(key, value, last=holder[1])
                    return key
        return None

    async def _create(self, key: str, value: bytes) -> None:
        try:
            await self._kv.create(key, value)
        except KeyNotFoundError:
            # The key existed when create tried and lapsed before it looked again (nats-py's
            # create lets that KeyNotFoundError out): the slot is free now, so try once more.
            await self._kv.create(key, value)

    async def refresh(self, key: str, job_id: str) -> None:
        await self._kv.put(key, job_id.encode())

    async def release(self, key: str, job_id: str) -> None:
        holder = await self._holder(key)
        if holder is not None and holder[0] == job_id.encode():
            # Conditional: a lease that lapsed and went to another job is not ours to delete.
            with contextlib.suppress(KeyWrongLastSequenceError):
                await self._kv.delete(key, last=holder[1])

    async def _holder(self, key: str) -> tuple[bytes, int] | None:
        try:
            entry = await self._kv.get(key)
        except (KeyNotFoundError, KeyDeletedError):
            return None
        return (entry.value or b""), entry.revision or 0
