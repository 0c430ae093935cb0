"""Users' saved voices: a blend (or any voice) kept under a name of the user's own, in a NATS KV
bucket per user that only the gateway writes, as lexicons are (lexicon_store.py).

A value is the saved voice as GET answers it: its name, provider, the formula in its one
spelling (``ProviderCatalogue.spelled``) and ``updated_at``. A name is the user's words
(letters of any script, digits, space, ``_ . -``), so its KV key is the UTF-8 name in URL-safe
base64: two names never share a key, and only [A-Za-z0-9_-] reaches the bucket. The last
writer wins: a saved voice is one short formula, rewritten whole.

A job names a saved voice as it names any voice; ``resolved_voice`` turns the name into its
formula before casting (handlers), so casting stays a pure function of the request and the
catalogue, and the job stores the formula: run again, it sounds the same after the saved voice
changes or goes.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from nats.js import JetStreamContext
from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.single import SingleRequest
from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs.storage import user_folder
from ttsjobs_gateway.errors import ServiceError
from ttsjobs_gateway.lexicon_errors import nats_answering
from ttsjobs_gateway.user_buckets import UserBuckets

log = structlog.get_logger()

BUCKET_PREFIX = "ttsjobs_voices_"
MAX_SAVED_VOICES = 100
VALUE_MAX_BYTES = 1024
NAME_PATTERN = r"^\w(?:[\w .-]{0,38}\w)?$"


class SavedVoiceNotFound(ServiceError):
    status = 404
    kind = "saved-voice-not-found"
    title = "No such saved voice"

    def __init__(self, name: str) -> None:
        super().__init__(f"you have no saved voice named {name!r}", name=name)


class TooManySavedVoices(ServiceError):
    status = 409
    kind = "too-many-saved-voices"
    title = "You have as many saved voices as you may"

    def __init__(self) -> None:
        cap = MAX_SAVED_VOICES
        super().__init__(
            f"at most {cap} saved voices per user; delete one or replace one of the same name",
            errors=[{"field": "name", "reason": f"a new saved voice past the cap of {cap}"}],
        )


def bucket_of(user_id: str) -> str:
    return BUCKET_PREFIX + user_folder(user_id)


def key_of(name: str) -> str:
    return base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")


@dataclass(frozen=True)
class SavedVoice:
    name: str
    provider: str
    voice: str  # the formula (or voice id), spelled once
    updated_at: str

    def document(self) -> dict[str, Any]:
        return {"name": self.name, "provider": self.provider, "voice": self.voice,
                "updated_at": self.updated_at}  # fmt: skip

    @classmethod
    def of(cls, value: bytes) -> SavedVoice:
        doc = json.loads(value)
        return cls(doc["name"], doc["provider"], doc["voice"], doc["updated_at"])


class SavedVoices:
    """Each user's saved voices, by name."""

    def __init__(self, js: JetStreamContext, *, replicas: int = 1) -> None:
        self._js = js
        self._user_buckets = UserBuckets(
            js,
            bucket_of=bucket_of,
            max_bytes=MAX_SAVED_VOICES * (VALUE_MAX_BYTES + 512),
            max_value_size=VALUE_MAX_BYTES,
            replicas=replicas,
        )

    async def _bucket(self, user_id: str, *, create: bool) -> KeyValue | None:
        return await self._user_buckets.of(user_id, create=create)

    async def get(self, user_id: str, name: str) -> SavedVoice | None:
        with nats_answering():
            kv = await self._bucket(user_id, create=False)
            entry = None if kv is None else await _entry(kv, key_of(name))
        return SavedVoice.of(entry.value) if entry is not None and entry.value else None

    async def all(self, user_id: str) -> list[SavedVoice]:
        with nats_answering():
            kv = await self._bucket(user_id, create=False)
            if kv is None:
                return []
            values = await _live_values(self._js, bucket_of(user_id), kv)
        found = [SavedVoice.of(value) for value in values]
        return sorted(found, key=lambda saved: saved.name)

    async def put(
        self, user_id: str, name: str, provider: str, voice: str
    ) -> tuple[SavedVoice, bool]:
        """Save ``voice`` under ``name``; True when the name is new."""
        saved = SavedVoice(
            name, provider, voice, datetime.now(UTC).isoformat(timespec="milliseconds")
        )
        value = json.dumps(saved.document(), ensure_ascii=False, separators=(",", ":")).encode()
        async with self._user_buckets.writer(user_id):
            with nats_answering():
                kv = await self._bucket(user_id, create=True)
                assert kv is not None
                key = key_of(name)
                existing = await _entry(kv, key)
                created = existing is None or not existing.value
                held = (
                    0 if not created else len(await _live_values(self._js, bucket_of(user_id), kv))
                )
                if held >= MAX_SAVED_VOICES:
                    raise TooManySavedVoices()
                await kv.put(key, value)
        log.info("saved_voice.stored", saved_voice=name, voice=voice, created=created)
        return saved, created

    async def delete(self, user_id: str, name: str) -> None:
        with nats_answering():
            kv = await self._bucket(user_id, create=False)
            entry = None if kv is None else await _entry(kv, key_of(name))
            if kv is None or entry is None or not entry.value:
                raise SavedVoiceNotFound(name)
            await kv.delete(key_of(name))
        log.info("saved_voice.deleted", saved_voice=name)


def known_anywhere(voice: str, providers: Mapping[str, ProviderCatalogue]) -> bool:
    """Whether a catalogue knows ``voice`` as an id, a variant or a blend: such a voice is
    never a saved name (the catalogue's voice wins)."""
    return any(catalogue.voice(voice) is not None for catalogue in providers.values())


async def resolved_voice(
    voice: str,
    user_id: str,
    saved: SavedVoices | None,
    providers: Mapping[str, ProviderCatalogue],
) -> str:
    """``voice`` as casting reads it: a saved name becomes its formula; any other voice stays
    as it is (a catalogue's voice wins over a saved one of the same name)."""
    if saved is None or known_anywhere(voice, providers):
        return voice
    found = await saved.get(user_id, voice)
    return found.voice if found is not None else voice


async def _live_values(js: JetStreamContext, bucket: str, kv: KeyValue) -> list[bytes]:
    """The values the bucket holds now, found by the stream's own count of each subject (as
    lexicon_store does: a watcher started just after a write can report the end before it)."""
    prefix = f"$KV.{bucket}."
    info = await js.stream_info(f"KV_{bucket}", subjects_filter=f"{prefix}>")
    keys = [subject[len(prefix) :] for subject in info.state.subjects or {}]
    entries = await asyncio.gather(*(_entry(kv, key) for key in keys))
    return [entry.value for entry in entries if entry is not None and entry.value]


async def _entry(kv: KeyValue, key: str) -> KeyValue.Entry | None:
    try:
        return await kv.get(key)
    except KeyNotFoundError:  # deleted: its subject keeps the delete marker
        return None


def spelled_anywhere(voice: str, providers: Mapping[str, ProviderCatalogue]) -> str:
    """A blend's one spelling, by the first catalogue that blends and knows it; any other
    voice as it is (espeak's ``voice+variant`` is no blend)."""
    for _, catalogue in sorted(providers.items()):
        if catalogue.blends and catalogue.voice(voice) is not None:
            return catalogue.spelled(voice)
    return voice


async def with_saved_voices(
    request: MultiRoleRequest,
    user_id: str,
    saved: SavedVoices | None,
    providers: Mapping[str, ProviderCatalogue],
) -> MultiRoleRequest:
    """The request with each saved name its speakers use replaced by its formula."""
    assignments = dict(request.voice_assignments)
    for speaker, assignment in assignments.items():
        if assignment.voice is not None:
            voice = await resolved_voice(assignment.voice, user_id, saved, providers)
            if voice != assignment.voice:
                assignments[speaker] = assignment.model_copy(update={"voice": voice})
    if assignments == request.voice_assignments:
        return request
    return request.model_copy(update={"voice_assignments": assignments})


async def single_with_saved_voice(
    single: SingleRequest,
    user_id: str,
    saved: SavedVoices | None,
    providers: Mapping[str, ProviderCatalogue],
) -> SingleRequest:
    """The long-text request with a saved name replaced by its formula."""
    if single.voice is None:
        return single
    voice = await resolved_voice(single.voice, user_id, saved, providers)
    return single if voice == single.voice else single.model_copy(update={"voice": voice})
