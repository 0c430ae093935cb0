"""The S3-compatible object store, through the minio client (SeaweedFS, MinIO or a cloud bucket).

minio is synchronous: callers run these in a thread so the event loop never blocks.
"""

from __future__ import annotations

from minio import Minio

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


def audio_object_key(job_id: str, extension: str) -> str:
    """Keys are made by the server from the job id, never from user input."""
    return f"jobs/{job_id}/audio.{extension}"
