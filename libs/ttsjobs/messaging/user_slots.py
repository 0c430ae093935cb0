"""At most N running jobs per user across every synthesis process: leases in a JetStream
key-value bucket.

A user has N slot keys, ``<user_id>.<n>``. Starting a job reads all of the user's slots in one
request, then takes a free one with a conditional write (``create``, or an update on its delete
marker), so two workers can never both take the same slot; one that loses the race reads
again. Trying the slots one by one instead cost a failed write and a read per taken slot, a
dozen round trips per job when a user's jobs filled most of them. The holder refreshes its
lease while the job runs and deletes it when done, conditionally on the revision it wrote; a
worker that dies leaves a lease that lapses after the bucket's TTL. A redelivered job finds its
own lease and keeps it.
"""

from __future__ import annotations

import contextlib
import zlib
from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import (
    BucketNotFoundError,
    KeyDeletedError,
    KeyNotFoundError,
    KeyWrongLastSequenceError,
)
from nats.js.kv import KeyValue

from ttsjobs.messaging.batch_get import BatchGet

BUCKET = "ttsjobs_user_slots"
# Reads and writes before giving up for now when other workers keep taking the free slots.
ATTEMPTS = 3
RACED = (KeyWrongLastSequenceError, KeyNotFoundError)


async def user_slots_bucket(
    js: JetStreamContext, *, lease_ttl_s: float, bucket: str = BUCKET
) -> KeyValue:
    try:
        kv = await js.key_value(bucket)
    except BucketNotFoundError:
        return await js.create_key_value(
            KeyValueConfig(
                bucket=bucket, history=1, ttl=lease_ttl_s, storage=StorageType.FILE, direct=True
            )
        )
    info = await js.stream_info(f"KV_{bucket}")
    if not info.config.allow_direct:
        # A bucket made before the slots were read in one request: allow direct gets.
        info.config.allow_direct = True
        await js.update_stream(info.config)
        kv = await js.key_value(bucket)
    return kv


@dataclass(frozen=True)
class _Slot:
    holder: bytes | None  # None: free (a delete marker)
    revision: int


class UserSlots:
    def __init__(self, kv: KeyValue, *, limit: int) -> None:
        self._kv = kv
        self.limit = limit
        # The bucket's stream and its subjects; nats-py's KeyValue keeps them private.
        self._reader = BatchGet(kv._js, kv._stream)
        self._subject_prefix = f"$KV.{kv._name}."
        self._revisions: dict[tuple[str, str], int] = {}  # (key, job) -> what we last wrote

    async def acquire(self, user_id: str, job_id: str) -> str | None:
        """The slot key now held for ``job_id``, or None while the user is at the limit."""
        value = job_id.encode()
        for _ in range(ATTEMPTS):
            slots = await self._slots_of(user_id)
            try:
                for key, slot in slots.items():
                    if slot.holder == value:  # redelivered: keep it
                        renewed = await self._kv.update(key, value, last=slot.revision)
                        return self._held(key, job_id, renewed)
                free = [
                    key for key in self._keys(user_id) if key not in slots or not slots[key].holder
                ]
                if not free:
                    return None
                # Workers starting jobs of one user at once spread over the free slots.
                key = free[zlib.crc32(value) % len(free)]
                marker = slots.get(key)  # a delete marker, or None: never written
                revision = (
                    await self._kv.update(key, value, last=marker.revision)
                    if marker is not None
                    else await self._kv.create(key, value)
                )
                return self._held(key, job_id, revision)
            except RACED:
                continue  # another worker wrote first: read again
        return None

    async def refresh(self, key: str, job_id: str) -> None:
        self._held(key, job_id, await self._kv.put(key, job_id.encode()))

    async def release(self, key: str, job_id: str) -> None:
        revision = self._revisions.pop((key, job_id), None)
        if revision is None:
            holder = await self._holder(key)
            if holder is None or holder[0] != job_id.encode():
                return
            revision = holder[1]
        # Conditional: a lease that lapsed and went to another job is not ours to delete.
        with contextlib.suppress(KeyWrongLastSequenceError):
            await self._kv.delete(key, last=revision)

    def _keys(self, user_id: str) -> list[str]:
        return [f"{user_id}.{n}" for n in range(self.limit)]

    async def _slots_of(self, user_id: str) -> dict[str, _Slot]:
        found = await self._reader.last_of_each(f"{self._subject_prefix}{user_id}.*")
        slots = {}
        for msg in found:
            headers = msg.headers or {}
            key = headers["Nats-Subject"].removeprefix(self._subject_prefix)
            deleted = headers.get("KV-Operation") in ("DEL", "PURGE")
            slots[key] = _Slot(None if deleted else msg.data, int(headers["Nats-Sequence"]))
        return slots

    def _held(self, key: str, job_id: str, revision: int) -> str:
        self._revisions[(key, job_id)] = revision
        return key

    async def _holder(self, key: str) -> tuple[bytes, int] | None:
        try:
            entry = await self._kv.get(key)
        except (KeyNotFoundError, KeyDeletedError):
            return None
        return (entry.value or b""), entry.revision or 0
