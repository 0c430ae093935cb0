"""Idempotent submission: the same Idempotency-Key with the same body gives the same job.

Keys live in a JetStream key-value bucket for as long as jobs do. ``claim`` makes the first
request the owner of a key; a repeat with the same body gets the job that request made (and
nothing is published again); a different body is refused; a repeat while the first is still
in flight is a 409 with Retry-After: 1.

A request in flight holds its key by a lease: its record says when it was last renewed, and a
task renews it every RENEW_EVERY_S while the request runs, fenced by the KV revision (a renewal
of a key someone else has taken since is refused). A holder that died (its gateway killed)
stops renewing, and after LEASE_S its key is taken over by the next retry, which publishes the
holder's job under the holder's job id. That is always safe, even if the holder was only slow
or the two gateways' clocks disagree: a JobCreated is stored only on the job's empty subject,
so publishing it twice never makes a second job (handlers._publish_created). The lease only
keeps two live requests from doing the same work, and a dead one's client from waiting long.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import hashlib
import json
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import structlog
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue
from pydantic import BaseModel

from ttsjobs.contracts.job_request import FieldProblem
from ttsjobs.messaging.publisher import NATS_UNAVAILABLE
from ttsjobs.messaging.riding_through import riding_through
from ttsjobs.messaging.topology import RETENTION
from ttsjobs_gateway.errors import DuplicateInFlight, InvalidRequest

log = structlog.get_logger()

BUCKET = "ttsjobs_idempotency"
HEADER = "Idempotency-Key"
# A retrying client's gap after its gateway died is about LEASE_S plus its own Retry-After (1 s):
# within the 5 s goal. Renewing three times a lease keeps a holder through a missed renewal.
LEASE_S = 3.0
RENEW_EVERY_S = 1.0
# A record with no "lease_s" was written by a gateway from before leases, which never renews it:
# it keeps the grace period those gateways gave each other.
UNRENEWED_LEASE_S = 30.0

Clock = Callable[[], float]


async def idempotency_bucket(js: JetStreamContext, *, replicas: int = 1) -> KeyValue:
    """``replicas``: copies the bucket is created with (Settings.stream_replicas)."""
    try:
        return await js.key_value(BUCKET)
    except BucketNotFoundError:
        return await js.create_key_value(
            KeyValueConfig(
                bucket=BUCKET,
                history=1,
                ttl=RETENTION.total_seconds(),
                storage=StorageType.FILE,
                replicas=replicas,
            )
        )


def body_hash(request: BaseModel) -> str:
    """The request as sent, canonical: a retry is recognised by it (multi-role or single)."""
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise InvalidRequest([FieldProblem(HEADER, "1 to 255 printable characters")])
    return key


class Held(enum.Enum):
    """What a key's record means to another request that carries it."""

    DONE = "done"  # its job exists: answer with it
    IN_FLIGHT = "in flight"  # its holder is alive: 409, retry in a moment
    LAPSED = "lapsed"  # its holder stopped renewing: take it over
    OTHER_BODY = "other body"  # the key was used for another request: 422


def judge(record: Mapping[str, Any], fingerprint: str, *, now: float) -> Held:
    """The record of a key as a request with ``fingerprint`` sees it at ``now`` (wall clock:
    the record may have been renewed by another gateway)."""
    if record.get("body") != fingerprint:
        return Held.OTHER_BODY
    if record.get("state") == "done":
        return Held.DONE
    lease_s = record.get("lease_s", UNRENEWED_LEASE_S)
    return Held.IN_FLIGHT if now - record.get("at", 0) < lease_s else Held.LAPSED


class Claim:
    """One request's hold on a key, renewed until it ends it: ``finish`` (the job is stored),
    ``unconfirmed`` (its publish may or may not have been), or ``release`` (nothing was
    published). A claim left without any of them lapses after its lease."""

    def __init__(
        self,
        kv: KeyValue,
        name: str,
        record: dict[str, Any],
        revision: int,
        *,
        done: bool,
        clock: Clock,
        renew_every_s: float,
    ) -> None:
        self.job_id: str = record["job_id"]
        self.done = done  # the job was made by an earlier request: publish nothing
        self._kv = kv
        self._name = name
        self._record = record
        self._revision = revision
        self._clock = clock
        self._renew_every_s = renew_every_s
        self._stopping = asyncio.Event()
        self._renewing: asyncio.Task[None] | None = None

    @property
    def revision(self) -> int:
        """The KV revision of the record as this claim last wrote it: its fencing token."""
        return self._revision

    def start_renewing(self) -> None:
        self._renewing = asyncio.create_task(self._renew(), name=f"lease {self.job_id}")

    async def stop_renewing(self) -> None:
        # The renewal in flight is let finish rather than cancelled: a cancelled KV update
        # may still land, and the revision this claim then writes with would be stale.
        self._stopping.set()
        if self._renewing is not None:
            await self._renewing

    async def _renew(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._renew_every_s)
                return
            record = {**self._record, "at": self._clock()}
            try:
                self._revision = await self._kv.update(
                    self._name, json.dumps(record).encode(), last=self._revision
                )
            except KeyWrongLastSequenceError:
                # Another request took the key over (this one was too slow to renew): it
                # publishes this same job, so this one carries on, renewing nothing.
                log.warning("idempotency.lease_taken_over", job_id=self.job_id)
                return
            except NatsError as err:
                # NATS down or electing a leader: keep trying; if the lease lapses meanwhile,
                # a retry takes the key over, which is safe (see the module's docstring).
                log.warning("idempotency.lease_not_renewed", job_id=self.job_id,
                            error=type(err).__name__)  # fmt: skip

    async def finish(self) -> None:
        """Mark the key done. The job is stored by now, so a failure here must not turn the
        answer into an error: the key stays pending, and a retry takes it over once its lease
        has lapsed and finds the job under the same id."""
        await self.stop_renewing()
        record = {**self._record, "state": "done", "at": self._clock()}
        try:
            await self._kv.put(self._name, json.dumps(record).encode())
        except NATS_UNAVAILABLE as err:
            log.warning("idempotency.finish_failed", job_id=self.job_id, error=type(err).__name__)

    async def unconfirmed(self) -> None:
        """The job's publish was not confirmed: let the client's retry take the key over at
        once instead of after the lease. Best effort (NATS may be the thing that is down);
        without it the lease lapses all the same."""
        await self.stop_renewing()
        record = {**self._record, "at": 0}
        try:
            await self._kv.put(self._name, json.dumps(record).encode())
        except NATS_UNAVAILABLE as err:
            log.warning("idempotency.unconfirmed_not_marked", job_id=self.job_id,
                        error=type(err).__name__)  # fmt: skip

    async def release(self) -> None:
        """Give up a claim that published nothing, unless another request has taken it since."""
        await self.stop_renewing()
        with contextlib.suppress(KeyWrongLastSequenceError):
            await self._kv.delete(self._name, last=self._revision)


class IdempotencyKeys:
    def __init__(
        self,
        kv: KeyValue,
        *,
        lease_s: float = LEASE_S,
        renew_every_s: float = RENEW_EVERY_S,
        clock: Clock = time.time,
        attempt_s: float = 2.0,
    ) -> None:
        """``attempt_s``: how long one NATS call of a claim may take (the KV handle's timeout)."""
        self._kv = kv
        self._attempt_s = attempt_s
        self._lease_s = lease_s
        self._renew_every_s = renew_every_s
        self._clock = clock

    @staticmethod
    def _name(user_id: str, key: str) -> str:
        # KV keys allow a narrow alphabet; the client's key can hold anything printable.
        return hashlib.sha256(f"{user_id}\n{key}".encode()).hexdigest()

    @contextlib.asynccontextmanager
    async def claim(
        self,
        user_id: str,
        key: str,
        fingerprint: str,
        new_job_id: str,
        *,
        deadline: float | None = None,
    ) -> AsyncIterator[Claim]:
        """The key's claim, renewed while the block runs (a done one needs no renewing).
        Taken again while NATS is unavailable until ``deadline`` (time.monotonic; None: one
        try), so that an election delays the request instead of failing it."""
        name = self._name(user_id, key)
        claim = await riding_through(
            lambda: self._take(name, fingerprint, new_job_id),
            deadline=deadline if deadline is not None else time.monotonic(),
            attempt_s=self._attempt_s,
            what="idempotency key",
        )
        if not claim.done:
            claim.start_renewing()
        try:
            yield claim
        finally:
            await claim.stop_renewing()

    async def _take(self, name: str, fingerprint: str, new_job_id: str) -> Claim:
        """Safe to call again after a NATS error: a record this request wrote (its answer
        lost in an election) is recognised by its claimant, the request's own new job id."""
        record = {"state": "pending", "body": fingerprint, "job_id": new_job_id,
                  "claimant": new_job_id, "at": self._clock(),
                  "lease_s": self._lease_s}  # fmt: skip
        try:
            revision = await self._kv.create(name, json.dumps(record).encode())
            return self._claim(name, record, revision, done=False)
        except KeyWrongLastSequenceError:
            pass
        try:
            entry = await self._kv.get(name)
        except KeyNotFoundError as err:  # released between the two: the retry can create it
            raise DuplicateInFlight(
                "the request that held this key just gave it up; retry in a moment",
                headers={"Retry-After": "1"},
            ) from err
        held = json.loads(entry.value or b"{}")
        if held.get("claimant") == new_job_id and held.get("state") != "done":
            return self._claim(name, held, entry.revision or 0, done=False)
        verdict = judge(held, fingerprint, now=self._clock())
        if verdict is Held.OTHER_BODY:
            raise InvalidRequest(
                [FieldProblem(HEADER, "already used for a different request body")]
            )
        if verdict is Held.DONE:
            return self._claim(name, held, entry.revision or 0, done=True)
        if verdict is Held.IN_FLIGHT:
            raise DuplicateInFlight(
                "an identical request with this key is being processed; retry in a moment",
                headers={"Retry-After": "1"},
            )
        # Its holder stopped renewing: finish its job, under its id.
        taken = {**held, "at": self._clock(), "lease_s": self._lease_s, "claimant": new_job_id}
        try:
            revision = await self._kv.update(name, json.dumps(taken).encode(), last=entry.revision)
        except KeyWrongLastSequenceError as err:
            raise DuplicateInFlight(
                "another request just took this key over; retry in a moment",
                headers={"Retry-After": "1"},
            ) from err
        log.info("idempotency.lease_lapsed_taken_over", job_id=held["job_id"])
        return self._claim(name, taken, revision, done=False)

    def _claim(self, name: str, record: dict[str, Any], revision: int, *, done: bool) -> Claim:
        return Claim(self._kv, name, record, revision, done=done, clock=self._clock,
                     renew_every_s=self._renew_every_s)  # fmt: skip
