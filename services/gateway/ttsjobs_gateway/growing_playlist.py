"""A running job's finished beginning as an HLS playlist that grows as turns land: the segments
synthesis has uploaded and listed in the job's live manifest (ttsjobs.jobs.live_audio), each
with its real length, and EXT-X-ENDLIST once the job has ended. Read from the bucket on each
request: the manifest is a few hundred bytes, and a player asks every few seconds at most.
"""

from __future__ import annotations

import asyncio

from minio import Minio
from minio.error import S3Error

from ttsjobs.jobs.live_audio import (
    TARGET_DURATION_S,
    LiveManifest,
    live_folder,
    manifest_key,
    segment_key,
)
from ttsjobs.jobs.state import JobState
from ttsjobs_gateway.errors import ServiceError

CONTENT_TYPE = "application/vnd.apple.mpegurl"
_MISSING = ("NoSuchKey", "NoSuchObject", "ResourceNotFound")


class LiveSegmentMissing(ServiceError):
    status = 404
    kind = "live-segment-missing"
    title = "No such live segment"

    def __init__(self, job_id: str, index: int) -> None:
        super().__init__(
            f"job {job_id} has no live segment {index} (yet): the playlist lists those there",
            job_id=job_id,
            index=index,
        )


def _folder(state: JobState) -> str:
    return live_folder(state.user_id, state.created_at, state.id)


def _read(s3: Minio, bucket: str, key: str) -> bytes | None:
    try:
        response = s3.get_object(bucket, key)
    except S3Error as err:
        if err.code in _MISSING:
            return None
        raise
    try:
        return response.read()
    finally:
        response.close()
        response.release_conn()


async def manifest(s3: Minio, bucket: str, state: JobState) -> LiveManifest | None:
    """What is listed so far; None before the first turn was (or for a job from before live
    audio existed)."""
    data = await asyncio.to_thread(_read, s3, bucket, manifest_key(_folder(state)))
    return None if data is None else LiveManifest.model_validate_json(data)


async def segment(s3: Minio, bucket: str, state: JobState, index: int) -> bytes:
    data = await asyncio.to_thread(_read, s3, bucket, segment_key(_folder(state), index))
    if data is None:
        raise LiveSegmentMissing(state.id, index)
    return data


def playlist(listed: LiveManifest | None, *, ended: bool) -> str:
    """The m3u8: an EVENT playlist (segments are only ever added), URIs relative to it.

    The target duration is the same in every version of a job's playlist, as RFC 8216 requires:
    synthesis cuts no segment longer (ttsjobs.jobs.live_audio.TARGET_DURATION_S).
    """
    frames = listed.frames if listed else []
    rate = listed.rate if listed else 1
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-PLAYLIST-TYPE:EVENT",
        f"#EXT-X-TARGETDURATION:{TARGET_DURATION_S}",
        "#EXT-X-MEDIA-SEQUENCE:0",
    ]
    for index, count in enumerate(frames):
        lines += [f"#EXTINF:{count / rate:.6f},", f"live/{index}.mp3"]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"
