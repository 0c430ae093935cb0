"""Idempotent submission: the same Idempotency-Key with the same body gives the same job.

Keys live in a JetStream key-value bucket for as long as jobs do. ``create`` makes the first
request the owner of a key; a repeat with the same body gets the job that request made (and
nothing is published again); a different body is refused; a repeat while the first is still
in flight is a conflict. A first request that died half-way is taken over after a grace period,
one whose publish was not confirmed at once: its JobCreated carries an id derived from the job,
and is stored only on the job's empty subject, so publishing it again never makes a second job.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import dataclass

import structlog
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue
from pydantic import BaseModel

from ttsjobs.contracts.job_request import FieldProblem
from ttsjobs.messaging.publisher import NATS_UNAVAILABLE
from ttsjobs.messaging.topology import RETENTION
from ttsjobs_gateway.errors import DuplicateInFlight, InvalidRequest

log = structlog.get_logger()

BUCKET = "ttsjobs_idempotency"
HEADER = "Idempotency-Key"
# A request holding a key this long without finishing is taken to have died.
TAKE_OVER_AFTER_S = 30.0


async def idempotency_bucket(js: JetStreamContext) -> KeyValue:
    try:
        return await js.key_value(BUCKET)
    except BucketNotFoundError:
        return await js.create_key_value(
            KeyValueConfig(
                bucket=BUCKET, history=1, ttl=RETENTION.total_seconds(), storage=StorageType.FILE
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


@dataclass(frozen=True)
class Claim:
    job_id: str
    done: bool  # the job was made by an earlier request: publish nothing
    revision: int


class IdempotencyKeys:
    def __init__(self, kv: KeyValue) -> None:
        self._kv = kv

    @staticmethod
    def _name(user_id: str, key: str) -> str:
        # KV keys allow a narrow alphabet; the client's key can hold anything printable.
        return hashlib.sha256(f"{user_id}\n{key}".encode()).hexdigest()

    async def claim(self, user_id: str, key: str, fingerprint: str, new_job_id: str) -> Claim:
        name = self._name(user_id, key)
        record = {"state": "pending", "body": fingerprint, "job_id": new_job_id, "at": time.time()}
        try:
            revision = await self._kv.create(name, json.dumps(record).encode())
            return Claim(new_job_id, done=False, revision=revision)
        except KeyWrongLastSequenceError:
            pass
        entry = await self._kv.get(name)
        held = json.loads(entry.value or b"{}")
        if held.get("body") != fingerprint:
            raise InvalidRequest(
                [FieldProblem(HEADER, "already used for a different request body")]
            )
        if held.get("state") == "done":
            return Claim(held["job_id"], done=True, revision=entry.revision or 0)
        if time.time() - held.get("at", 0) < TAKE_OVER_AFTER_S:
            raise DuplicateInFlight(
                "an identical request with this key is being processed; retry in a moment",
                headers={"Retry-After": "1"},
            )
        # The first request died half-way: finish its job, under its id.
        taken = {**held, "at": time.time()}
        try:
            revision = await self._kv.update(name, json.dumps(taken).encode(), last=entry.revision)
        except KeyWrongLastSequenceError as err:
            raise DuplicateInFlight("another request just took this key over") from err
        return Claim(held["job_id"], done=False, revision=revision)

    async def finish(self, user_id: str, key: str, fingerprint: str, job_id: str) -> None:
        """Mark the key done. The job is stored by now, so a failure here must not turn the
        answer into an error: the key stays pending, and a retry takes it over and finds the
        job under the same id."""
        record = {"state": "done", "body": fingerprint, "job_id": job_id, "at": time.time()}
        try:
            await self._kv.put(self._name(user_id, key), json.dumps(record).encode())
        except NATS_UNAVAILABLE as err:
            log.warning("idempotency.finish_failed", job_id=job_id, error=type(err).__name__)

    async def unconfirmed(self, user_id: str, key: str, fingerprint: str, job_id: str) -> None:
        """The job's publish was not confirmed: let the client's retry take the key over at
        once instead of after TAKE_OVER_AFTER_S. Best effort (NATS may be the thing that is
        down); without it the grace period still hands the key on."""
        record = {"state": "pending", "body": fingerprint, "job_id": job_id, "at": 0}
        try:
            await self._kv.put(self._name(user_id, key), json.dumps(record).encode())
        except NATS_UNAVAILABLE as err:
            log.warning("idempotency.unconfirmed_not_marked", job_id=job_id,
                        error=type(err).__name__)  # fmt: skip

    async def release(self, user_id: str, key: str, revision: int) -> None:
        """Give up a claim that published nothing, unless another request has taken it since."""
        with contextlib.suppress(KeyWrongLastSequenceError):
            await self._kv.delete(self._name(user_id, key), last=revision)
