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

A job's first delivery skips the read when this process knows a free slot of the user: one it
released itself, or saw free when it last read. The write is conditional on the revision known,
so it succeeds only if nobody wrote the slot since; otherwise the slots are read as above. With
one user's jobs going through one worker that is one write per start instead of a read of
every slot and a write (for an 8-slot user, ten messages fewer per job). Only a first delivery may
skip the read: a redelivered job may still hold a lease of its own, which the read finds.

A released slot is held back for ``HAND_OVER_S`` before its delete marker is written: a job of
the same user that starts here meanwhile takes it over with one conditional write, instead of a
delete and a write. Under load a user's next job starts within milliseconds, so most jobs cost
the bucket one write instead of two. Another worker waits at most that long for the slot (a
worker at the limit retries after a second anyway). ``let_go_all`` writes the held-back markers
before the process closes its connection; a process that dies first leaves leases that lapse.
"""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass

import structlog
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import (
    APIError,
    BucketNotFoundError,
    KeyDeletedError,
    KeyNotFoundError,
    KeyWrongLastSequenceError,
)
from nats.js.kv import KeyValue

from ttsjobs.aio.newest import Newest
from ttsjobs.messaging.batch_get import BatchGet
from ttsjobs.messaging.publisher import NATS_UNAVAILABLE

log = structlog.get_logger()

BUCKET = "ttsjobs_user_slots"
# Reads and writes before giving up for now when other workers keep taking the free slots.
ATTEMPTS = 3
RACED = (KeyWrongLastSequenceError, KeyNotFoundError)
# Free slots remembered with their revisions; the oldest are forgotten first.
REMEMBERED_FREE = 50_000
# JetStream's answers to a write whose expected last revision is not the subject's.
_WRONG_LAST_REVISION = (10071, 10164)
# How long a released slot waits for the same user's next job here before it is freed.
HAND_OVER_S = 0.1
# A delete marker NATS did not take (it was restarting, say) is written again after these
# pauses, so that the slot is not lost to the user until its lease lapses. Each write is
# conditional on the finished job's lease, so a late one frees nothing another job holds.
LET_GO_RETRY_S = (0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0)
# How long closing waits for the markers still being written.
CLOSING_WAIT_S = 5.0


async def user_slots_bucket(
    js: JetStreamContext, *, lease_ttl_s: float, bucket: str = BUCKET, replicas: int = 1
) -> KeyValue:
    """``replicas``: copies the bucket is created with (Settings.stream_replicas)."""
    try:
        kv = await js.key_value(bucket)
    except BucketNotFoundError:
        return await js.create_key_value(
            KeyValueConfig(
                bucket=bucket,
                history=1,
                ttl=lease_ttl_s,
                storage=StorageType.FILE,
                direct=True,
                replicas=replicas,
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


@dataclass
class _Released:
    """A slot released here whose delete marker is not written yet."""

    revision: int  # the finished job's lease
    timer: asyncio.TimerHandle


class UserSlots:
    def __init__(self, kv: KeyValue, *, limit: int, hand_over_s: float = HAND_OVER_S) -> None:
        self._kv = kv
        self.limit = limit
        # The bucket's stream and its subjects; nats-py's KeyValue keeps them private.
        self._reader = BatchGet(kv._js, kv._stream)
        self._subject_prefix = f"$KV.{kv._name}."
        self._revisions: dict[tuple[str, str], int] = {}  # (key, job) -> what we last wrote
        self._free: Newest[str, int] = Newest(REMEMBERED_FREE)  # key -> revision free at
        self._released: dict[str, _Released] = {}  # key -> held back for a hand-over
        self._letting_go: set[asyncio.Task[None]] = set()
        self._hand_over_s = hand_over_s

    async def acquire(
        self, user_id: str, job_id: str, *, first_delivery: bool = False
    ) -> str | None:
        """The slot key now held for ``job_id``, or None while the user is at the limit.
        ``first_delivery``: the job has never run anywhere, so it holds no lease yet."""
        value = job_id.encode()
        if first_delivery and (key := await self._take_released(user_id, value, job_id)):
            return key
        if first_delivery and (key := await self._take_known_free(user_id, value, job_id)):
            return key
        for _ in range(ATTEMPTS):
            slots = await self._slots_of(user_id)
            try:
                for key, slot in slots.items():
                    if slot.holder == value:  # redelivered: keep it
                        self._cancel_release(key)
                        renewed = await self._kv.update(key, value, last=slot.revision)
                        return self._held(key, job_id, renewed)
                free = {
                    key: slots[key].revision if key in slots else 0
                    for key in self._keys(user_id)
                    if key not in slots
                    or not slots[key].holder
                    or self._released_at(key) == slots[key].revision
                }
                if not free:
                    return None
                # Workers starting jobs of one user at once spread over the free slots.
                key = list(free)[zlib.crc32(value) % len(free)]
                revision = free.pop(key)
                for other, known in free.items():
                    if self._released_at(other) is None:  # held back: taken over, not guessed
                        self._free.store(other, known)
                self._free.pop(key, None)
                self._cancel_release(key)
                # Revision 0: never written (or lapsed), so the write expects no message at all.
                return self._held(key, job_id, await self._kv.update(key, value, last=revision))
            except RACED:
                continue  # another worker wrote first: read again
        return None

    async def _take_released(self, user_id: str, value: bytes, job_id: str) -> str | None:
        for key in self._keys(user_id):
            revision = self._cancel_release(key)
            if revision is None:
                continue
            try:
                return self._held(key, job_id, await self._kv.update(key, value, last=revision))
            except RACED:
                return None  # the lease lapsed and another worker took the slot: read them all
            except BaseException:
                self._hold_back(key, revision)  # not handed over: freed as it would have been
                raise
        return None

    def _released_at(self, key: str) -> int | None:
        released = self._released.get(key)
        return released.revision if released else None

    def _cancel_release(self, key: str) -> int | None:
        """The revision of a slot held back here, now no longer to be freed."""
        released = self._released.pop(key, None)
        if released is None:
            return None
        released.timer.cancel()
        return released.revision

    async def _take_known_free(self, user_id: str, value: bytes, job_id: str) -> str | None:
        for key in self._keys(user_id):
            revision = self._free.pop(key, None)  # taken off first: no other start guesses it
            if revision is None:
                continue
            try:
                return self._held(key, job_id, await self._kv.update(key, value, last=revision))
            except RACED:
                return None  # written by another worker since: read them all
        return None

    async def refresh(self, key: str, job_id: str) -> None:
        self._held(key, job_id, await self._kv.put(key, job_id.encode()))

    async def release(self, key: str, job_id: str) -> None:
        """Free the slot, after ``HAND_OVER_S`` unless the user's next job here takes it."""
        revision = self._revisions.pop((key, job_id), None)
        if revision is None:
            holder = await self._holder(key)
            if holder is None or holder[0] != job_id.encode():
                return
            revision = holder[1]
        self._hold_back(key, revision)

    async def let_go_all(self) -> None:
        """Free every slot held back for a hand-over now, and wait (a few seconds at most) for
        what is being freed."""
        for key in list(self._released):
            revision = self._cancel_release(key)
            assert revision is not None
            self._let_go_soon(key, revision)
        if self._letting_go:
            await asyncio.wait(list(self._letting_go), timeout=CLOSING_WAIT_S)
        for task in list(self._letting_go):
            task.cancel()  # NATS is away: those leases lapse instead

    def _hold_back(self, key: str, revision: int) -> None:
        timer = asyncio.get_running_loop().call_later(
            self._hand_over_s, self._let_go_held_back, key
        )
        self._released[key] = _Released(revision, timer)

    def _let_go_held_back(self, key: str) -> None:
        released = self._released.pop(key, None)
        if released is not None:
            self._let_go_soon(key, released.revision)

    def _let_go_soon(self, key: str, revision: int) -> None:
        task = asyncio.create_task(self._let_go(key, revision))
        self._letting_go.add(task)
        task.add_done_callback(self._let_go_done)

    def _let_go_done(self, task: asyncio.Task[None]) -> None:
        self._letting_go.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Not freed now: the lease lapses after the bucket's TTL instead.
            log.warning("user_slot.release_failed", error=repr(task.exception()))

    async def _let_go(self, key: str, revision: int) -> None:
        # Conditional: a lease that lapsed and went to another job is not ours to delete. The
        # marker is written here, not by nats-py's delete, which does not return its revision.
        headers = {"KV-Operation": "DEL", "Nats-Expected-Last-Subject-Sequence": str(revision)}
        for pause_s in (*LET_GO_RETRY_S, None):
            try:
                ack = await self._kv._js.publish(f"{self._subject_prefix}{key}", headers=headers)
            except APIError as err:
                if err.err_code in _WRONG_LAST_REVISION:
                    return
                raise
            except NATS_UNAVAILABLE as err:
                if pause_s is None:
                    raise
                log.warning("user_slot.release_retrying", key=key, error=type(err).__name__)
                await asyncio.sleep(pause_s)
                continue
            self._free.store(key, ack.seq)
            return

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
