"""The S3-compatible object store, through the minio client (SeaweedFS, MinIO or a cloud bucket).

minio is synchronous: callers run these in a thread so the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import uuid
from datetime import UTC, datetime
from typing import BinaryIO

from minio import Minio
from minio.error import S3Error
from minio.helpers import DictType

from ttsjobs.settings import CommonSettings, s3_host_and_secure


def s3_client(settings: CommonSettings) -> Minio:
    host, secure = s3_host_and_secure(settings.s3_endpoint)
    return Minio(
        host,
        access_key=settings.s3_access_key.get_secret_value(),
        secret_key=settings.s3_secret_key.get_secret_value(),
        region=settings.s3_region,
        secure=secure,
    )


def ensure_bucket(client: Minio, bucket: str) -> None:
    if not client.bucket_exists(bucket):
        try:
            client.make_bucket(bucket)
        except Exception:
            # Another service may have created it between the two calls.
            if not client.bucket_exists(bucket):
                raise


AUDIO_PREFIX = "audio/"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def audio_object_key(user_id: str, created: datetime, audio: bytes, extension: str) -> str:
    """Where the audio ``audio`` of a job is stored (see ``audio_key``)."""
    return audio_key(user_id, created, hashlib.sha256(audio).hexdigest(), extension)


def audio_key(user_id: str, created: datetime, sha256: str, extension: str) -> str:
    """Where a job's audio is stored: named by its content (``sha256``, the hex digest of its
    bytes), per user and per day the job was created. Keys are made by the server, never from
    user input.

    A job whose audio equals an earlier one of the same user and day (a replay, a resubmitted
    dialogue) refers to the object already stored instead of storing the same bytes again. The
    day bounds the sharing: every job that refers to an object was created that day, so once
    the janitor finds none of them within retention, no new job can come to refer to it; and a
    whole day's folder can go once that day has passed retention.
    """
    if not _SHA256.fullmatch(sha256):
        raise ValueError("not a SHA-256 hex digest")  # a key's path is never shaped by input
    day = f"{created.astimezone(UTC):%Y-%m-%d}"
    return f"{AUDIO_PREFIX}{day}/{user_folder(user_id)}/{sha256}.{extension}"


def job_object_key(user_id: str, created: datetime, job_id: str, suffix: str) -> str:
    """Where an object of one job alone is stored (its stems, its word timing): beside its
    audio, in the day and user folder that retention clears, named by the job."""
    return f"{day_folder(user_id, created)}{job_name(job_id)}.{suffix}"


def day_folder(user_id: str, created: datetime) -> str:
    """The user's folder of one day's objects, which retention clears as a whole."""
    return f"{AUDIO_PREFIX}{created.astimezone(UTC):%Y-%m-%d}/{user_folder(user_id)}/"


def job_name(job_id: str) -> str:
    """A job's id as a key part: a job id that is not a UUID (events can come from any
    publisher) is hashed, so input never shapes the key."""
    try:
        return str(uuid.UUID(job_id))
    except ValueError:
        return "job-" + hashlib.sha256(job_id.encode()).hexdigest()[:32]


def user_folder(user_id: str) -> str:
    """The folder of a user's objects (audio, cached segments): the user's id, which the
    gateway makes a UUID; anything else an event may carry (events can come from any
    publisher) is hashed, so that it never shapes the key."""
    try:
        return str(uuid.UUID(user_id))
    except ValueError:
        return "user-" + hashlib.sha256(user_id.encode()).hexdigest()[:32]


_META = "x-amz-meta-"
# Uploads from a file go in parts of this size (S3's least is 5 MiB): minio holds one part per
# upload thread in memory, not the file.
PART_SIZE = 8 * 2**20
# What S3 servers answer for an object that is not there (a HEAD has no body, so minio names
# its error after the status).
_MISSING = ("NoSuchKey", "NoSuchObject", "ResourceNotFound")


class BucketStore:
    """Async face of one bucket: each call runs the blocking minio client in a thread."""

    def __init__(self, client: Minio, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    async def get(self, key: str) -> bytes | None:
        found = await self.get_with_metadata(key)
        return found[0] if found else None

    async def get_with_metadata(self, key: str) -> tuple[bytes, dict[str, str]] | None:
        """The object and its user metadata (lower-case names, no x-amz-meta- prefix)."""

        def read() -> tuple[bytes, dict[str, str]] | None:
            try:
                response = self.client.get_object(self.bucket, key)
            except S3Error as err:
                if err.code in _MISSING:
                    return None
                raise
            try:
                metadata = {
                    name.lower().removeprefix(_META): value
                    for name, value in response.headers.items()
                    if name.lower().startswith(_META)
                }
                return response.read(), metadata
            finally:
                response.close()
                response.release_conn()

        return await asyncio.to_thread(read)

    async def exists(self, key: str) -> bool:
        def stat() -> bool:
            try:
                self.client.stat_object(self.bucket, key)
            except S3Error as err:
                if err.code in _MISSING:
                    return False
                raise
            return True

        return await asyncio.to_thread(stat)

    async def put(
        self, key: str, data: bytes, content_type: str, *, metadata: dict[str, str] | None = None
    ) -> None:
        # minio's metadata values may also be lists; a dict of str is one, but dicts are invariant.
        headers: DictType | None = None if metadata is None else {**metadata}
        await asyncio.to_thread(
            self.client.put_object,
            self.bucket,
            key,
            io.BytesIO(data),
            len(data),
            content_type,
            metadata=headers,
        )

    async def put_file(self, key: str, file: BinaryIO, size: int, content_type: str) -> None:
        """``size`` bytes of ``file`` from where it stands; a multipart upload past PART_SIZE."""
        await asyncio.to_thread(
            self.client.put_object,
            self.bucket,
            key,
            file,
            size,
            content_type,
            part_size=PART_SIZE,
        )

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.remove_object, self.bucket, key)
