"""Per-user NATS KV buckets that only the gateway writes (lexicons, saved voices): a bucket is
made on a user's first write, its handle is kept for the most recently used users, and one
writer per user at a time checks a cap and keeps it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError
from nats.js.kv import KeyValue

from ttsjobs.aio.newest import Newest

HANDLES = 1024  # open bucket handles kept, most recently used users first


class UserBuckets:
    def __init__(
        self,
        js: JetStreamContext,
        *,
        bucket_of: Callable[[str], str],
        max_bytes: int,
        max_value_size: int,
        replicas: int = 1,
    ) -> None:
        self._js = js
        self._bucket_of = bucket_of
        self._max_bytes = max_bytes
        self._max_value_size = max_value_size
        self._replicas = replicas  # each user's bucket is created with these copies
        self._buckets: Newest[str, KeyValue] = Newest(HANDLES)
        self._writing: Newest[str, asyncio.Lock] = Newest(HANDLES)

    async def of(self, user_id: str, *, create: bool) -> KeyValue | None:
        """The user's bucket; None if it does not exist and ``create`` is not asked."""
        name = self._bucket_of(user_id)
        if (kv := self._buckets.get(name)) is not None:
            return kv
        try:
            kv = await self._js.key_value(name)
        except BucketNotFoundError:
            if not create:
                return None
            kv = await self._js.create_key_value(
                KeyValueConfig(
                    bucket=name,
                    history=1,
                    max_bytes=self._max_bytes,
                    max_value_size=self._max_value_size,
                    storage=StorageType.FILE,
                    replicas=self._replicas,
                )
            )
        self._buckets.store(name, kv)
        return kv

    def writer(self, user_id: str) -> asyncio.Lock:
        """The lock a write of this user's holds in this gateway."""
        lock = self._writing.get(user_id) or asyncio.Lock()
        self._writing.store(user_id, lock)
        return lock
