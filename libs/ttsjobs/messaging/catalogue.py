"""The voice catalogue in a JetStream key-value bucket: synthesis writes, the gateway watches."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError, NoKeysError
from nats.js.kv import KeyValue

from ttsjobs.aio.tasks import stop_task
from ttsjobs.contracts.voices import ProviderCatalogue

BUCKET = "ttsjobs_catalogue"
log = structlog.get_logger()


async def catalogue_bucket(js: JetStreamContext, *, replicas: int = 1) -> KeyValue:
    """``replicas``: copies the bucket is created with (Settings.stream_replicas)."""
    try:
        return await js.key_value(BUCKET)
    except BucketNotFoundError:
        return await js.create_key_value(
            KeyValueConfig(bucket=BUCKET, history=1, storage=StorageType.FILE, replicas=replicas)
        )


async def publish_catalogue(
    js: JetStreamContext, catalogue: ProviderCatalogue, *, replicas: int = 1
) -> None:
    kv = await catalogue_bucket(js, replicas=replicas)
    await kv.put(f"provider.{catalogue.provider}", catalogue.model_dump_json().encode())


class CatalogueView:
    """An in-memory copy of the bucket, kept current by a watcher."""

    def __init__(self, *, replicas: int = 1) -> None:
        self._replicas = replicas  # should the view be the first to need the bucket
        self.providers: dict[str, ProviderCatalogue] = {}
        self._task: asyncio.Task[None] | None = None
        self.loaded = asyncio.Event()

    async def start(self, js: JetStreamContext) -> None:
        kv = await catalogue_bucket(js, replicas=self._replicas)
        with contextlib.suppress(NoKeysError):
            for key in await kv.keys():
                entry = await kv.get(key)
                self._store(entry.value)
        self.loaded.set()
        watcher = await kv.watchall()
        self._task = asyncio.create_task(self._follow(watcher))

    async def restart(self, js: JetStreamContext) -> None:
        """Read the bucket again and watch anew (after a NATS server restart)."""
        await self.stop()
        await self.start(js)

    async def stop(self) -> None:
        if self._task:
            await stop_task(self._task)

    async def _follow(self, watcher: KeyValue.KeyWatcher) -> None:
        async for entry in watcher:
            if entry is not None and entry.value:
                self._store(entry.value)

    def _store(self, raw: bytes | None) -> None:
        if not raw:
            return
        catalogue = ProviderCatalogue.model_validate_json(raw)
        self.providers[catalogue.provider] = catalogue
        log.info("catalogue.updated", provider=catalogue.provider, voices=len(catalogue.voices))
