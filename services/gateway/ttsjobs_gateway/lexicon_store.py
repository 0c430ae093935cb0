"""Users' pronunciation lexicons, in a NATS KV bucket per user, which only the gateway writes.

A bucket is named after the user (``bucket_of``), made on the user's first PUT, and keeps one
revision of each lexicon (history 1). A value is the lexicon as our JSON with its name and
``updated_at``: exactly what GET answers, so a read sends the stored bytes as they are. Its KV
revision is its ETag: a PUT or DELETE with If-Match changes only the revision the client read
(412 otherwise), so that two editors never overwrite each other unseen.

Caps: LEXICON_MAX_BYTES per lexicon as stored, MAX_LEXICONS_PER_USER per user. A gateway
writes one user's lexicons one at a time, so its count is exact; two gateways taking new names
for one user at the same instant could both pass it, and the bucket's ``max_bytes`` is the
backstop then.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from nats.js import JetStreamContext
from nats.js.errors import (
    KeyNotFoundError,
    KeyWrongLastSequenceError,
)
from nats.js.kv import KeyValue

from ttsjobs.contracts.lexicon import (
    LEXICON_MAX_BYTES,
    MAX_LEXICONS_PER_USER,
    Alphabet,
    Lexicon,
    LexiconEntry,
)
from ttsjobs.storage import user_folder
from ttsjobs_gateway.lexicon_errors import (
    LexiconChanged,
    LexiconNotFound,
    LexiconTooLarge,
    TooManyLexicons,
    nats_answering,
)
from ttsjobs_gateway.offload import sized
from ttsjobs_gateway.user_buckets import UserBuckets

log = structlog.get_logger()

BUCKET_PREFIX = "ttsjobs_lexicons_"
# Room for each lexicon at its cap plus the message's own subject and headers.
BUCKET_MAX_BYTES = MAX_LEXICONS_PER_USER * (LEXICON_MAX_BYTES + 4096)


def bucket_of(user_id: str) -> str:
    """The user's bucket: a UUID as it is, anything else hashed (user_folder), so that only
    [A-Za-z0-9_-] ever reaches the name."""
    return BUCKET_PREFIX + user_folder(user_id)


def key_of(name: str) -> str:
    """A lexicon name as a KV key. Names are [A-Za-z0-9_.-]; a key may not end in '.' nor hold
    '..', so each '.' is written '=2E' ('=' is in no name, so two names never share a key)."""
    return name.replace(".", "=2E")


def name_of(key: str) -> str:
    return key.replace("=2E", ".")


def etag_of(revision: int) -> str:
    return f'"{revision}"'


ANY = 0  # If-Match: * (any revision, so long as the lexicon exists); KV revisions start at 1


def revision_in(if_match: str | None) -> int | None:
    """The revision an If-Match names: None without one, ANY for '*', -1 for a tag never
    issued (so that it matches nothing)."""
    if if_match is None:
        return None
    if if_match.strip() == "*":
        return ANY
    tag = if_match.strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isdigit() and len(tag) < 20 else -1


@dataclass(frozen=True)
class Stored:
    """A lexicon as stored: ``value`` is the JSON GET answers."""

    name: str
    value: bytes
    revision: int

    def document(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.value)
        return document

    def lexicon(self) -> Lexicon:
        """The lexicon, built without validating it again: only the gateway writes the bucket,
        after validating what it writes, and a job may read 20 lexicons of 256 KB at submit
        (validating one such took about 4 times as long as building it)."""
        doc = self.document()
        entries = [
            LexiconEntry.model_construct(
                None, **{k: Alphabet(v) if k == "alphabet" else v for k, v in entry.items()}
            )
            for entry in doc["entries"]
        ]
        return Lexicon.model_construct(
            language=doc["language"], alphabet=Alphabet(doc["alphabet"]), entries=entries
        )

    def summary(self) -> dict[str, Any]:
        doc = self.document()
        return summary_of(doc, size=len(self.value))


def summary_of(doc: dict[str, Any], *, size: int) -> dict[str, Any]:
    return {
        "name": doc["name"],
        "language": doc.get("language"),
        "alphabet": doc["alphabet"],
        "entry_count": len(doc["entries"]),
        "size_bytes": size,
        "updated_at": doc["updated_at"],
    }


def stored_value(name: str, lexicon: Lexicon) -> bytes:
    entries = [e.model_dump(mode="json", exclude_none=True) for e in lexicon.entries]
    doc = {
        "name": name,
        "language": lexicon.language,
        "alphabet": lexicon.alphabet.value,
        "entries": entries,
        "updated_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


class LexiconStore:
    def __init__(self, js: JetStreamContext, *, replicas: int = 1) -> None:
        self._js = js
        self._user_buckets = UserBuckets(
            js,
            bucket_of=bucket_of,
            max_bytes=BUCKET_MAX_BYTES,
            max_value_size=LEXICON_MAX_BYTES + 1024,
            replicas=replicas,
        )

    async def _bucket(self, user_id: str, *, create: bool) -> KeyValue | None:
        return await self._user_buckets.of(user_id, create=create)

    async def get(self, user_id: str, name: str) -> Stored | None:
        with nats_answering():
            kv = await self._bucket(user_id, create=False)
            if kv is None:
                return None
            try:
                entry = await kv.get(key_of(name))
            except KeyNotFoundError:  # never made, or deleted (KeyDeletedError)
                return None
        if not entry.value:
            return None
        return Stored(name, entry.value, entry.revision or 0)

    async def get_many(self, user_id: str, names: Sequence[str]) -> list[Stored | None]:
        """The named lexicons, in order; None for each the user does not have."""
        return list(await asyncio.gather(*(self.get(user_id, n) for n in names)))

    async def all(self, user_id: str) -> list[Stored]:
        """Every lexicon of the user, by name."""
        found: list[Stored] = []
        with nats_answering():
            kv = await self._bucket(user_id, create=False)
            if kv is None:
                return []
            for key in await _live_keys(self._js, bucket_of(user_id), kv):
                entry = await _entry(kv, key)
                if entry is not None and entry.value:  # by its key: nothing parsed on the loop
                    found.append(Stored(name_of(key), entry.value, entry.revision or 0))
        return sorted(found, key=lambda s: s.name)

    async def put(
        self, user_id: str, name: str, lexicon: Lexicon, *, if_match: int | None = None
    ) -> tuple[Stored, bool]:
        """Store the lexicon under its name; True when it is new. ``if_match``: the revision
        the client read, which must still be the lexicon's."""
        value = await sized(len(lexicon.entries) * 64, stored_value, name, lexicon)
        if len(value) > LEXICON_MAX_BYTES:
            raise LexiconTooLarge(len(value), "as stored")
        async with self._user_buckets.writer(user_id):
            with nats_answering():
                kv = await self._bucket(user_id, create=True)
                assert kv is not None
                stored, created = await self._write(kv, bucket_of(user_id), name, value, if_match)
        log.info("lexicon.stored", lexicon=name, entries=len(lexicon.entries), created=created,
                 size=len(value), revision=stored.revision)  # fmt: skip
        return stored, created

    async def _write(
        self, kv: KeyValue, bucket: str, name: str, value: bytes, if_match: int | None
    ) -> tuple[Stored, bool]:
        key = key_of(name)
        current = await _revision(kv, key)
        if if_match == ANY and current is not None:
            if_match = current
        if if_match is not None:
            if current != if_match:
                raise LexiconChanged(name)
            try:
                return Stored(name, value, await kv.update(key, value, last=if_match)), False
            except KeyWrongLastSequenceError:
                raise LexiconChanged(name) from None
        for _ in range(3):  # no If-Match: the last writer wins, and says whether it was new
            try:
                if current is None:
                    if len(await _live_keys(self._js, bucket, kv)) >= MAX_LEXICONS_PER_USER:
                        raise TooManyLexicons()
                    return Stored(name, value, await kv.create(key, value)), True
                return Stored(name, value, await kv.update(key, value, last=current)), False
            except KeyWrongLastSequenceError:
                current = await _revision(kv, key)
        raise LexiconChanged(name)

    async def delete(self, user_id: str, name: str, *, if_match: int | None = None) -> None:
        with nats_answering():
            kv = await self._bucket(user_id, create=False)
            current = None if kv is None else await _revision(kv, key_of(name))
            if kv is None or current is None:
                raise LexiconNotFound(name)
            if if_match not in (None, ANY, current):
                raise LexiconChanged(name)
            try:
                await kv.delete(key_of(name), last=current)
            except KeyWrongLastSequenceError:
                raise LexiconChanged(name) from None
        log.info("lexicon.deleted", lexicon=name, revision=current)


async def _revision(kv: KeyValue, key: str) -> int | None:
    try:
        entry = await kv.get(key)
    except KeyNotFoundError:
        return None
    return entry.revision if entry.value else None


async def _live_keys(js: JetStreamContext, bucket: str, kv: KeyValue) -> list[str]:
    """The keys that hold a value now, read from the stream's own count of each subject. A
    watcher (nats-py's ``keys()``) started just after a write can report the end of the bucket
    before that write, and the list would miss a lexicon just made."""
    prefix = f"$KV.{bucket}."
    info = await js.stream_info(f"KV_{bucket}", subjects_filter=f"{prefix}>")
    keys = [subject[len(prefix) :] for subject in info.state.subjects or {}]
    entries = await asyncio.gather(*(_entry(kv, key) for key in keys))
    return [key for key, entry in zip(keys, entries, strict=True) if entry and entry.value]


async def _entry(kv: KeyValue, key: str) -> KeyValue.Entry | None:
    try:
        return await kv.get(key)
    except KeyNotFoundError:  # deleted: its subject keeps the delete marker
        return None
