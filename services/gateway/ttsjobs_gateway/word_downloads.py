"""Word-level captions: rendered on request from the job's timing object in S3 (stored by
synthesis beside the audio), with the same Range, ETag and file name rules as the turn-level
captions (downloads.py)."""

from __future__ import annotations

import asyncio

import pydantic_core
from fastapi import Response
from minio import Minio
from minio.error import S3Error

from ttsjobs.contracts.word_timing import JobTiming
from ttsjobs.jobs import word_captions
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs_gateway.downloads import RangeRequest, content_disposition, rendered_response
from ttsjobs_gateway.errors import AudioNotReady, ServiceError


class NoWordTiming(ServiceError):
    status = 409
    kind = "no-word-timing"
    title = "The job has no word timing"

    def __init__(self, job_id: str, provider: str) -> None:
        super().__init__(
            f"job {job_id} was spoken by {provider}, which gives no word timing; the turn-level"
            " captions (format vtt or srt) are there",
            job_id=job_id,
            provider=provider,
        )


class WordTimingGone(ServiceError):
    status = 404
    kind = "word-timing-not-found"
    title = "The job's word timing is not stored"

    def __init__(self, job_id: str) -> None:
        super().__init__(f"job {job_id}'s word timing is no longer stored", job_id=job_id)


def _read(s3: Minio, bucket: str, key: str) -> bytes:
    response = s3.get_object(bucket, key)
    try:
        return response.read()
    finally:
        response.close()
        response.release_conn()


def _timing(s3: Minio, bucket: str, key: str) -> JobTiming:
    # Plain JSON, as synthesis wrote it: see contracts/word_timing.py for why not a model.
    timing: JobTiming = pydantic_core.from_json(_read(s3, bucket, key))
    return timing


async def job_timing(s3: Minio, state: JobState) -> JobTiming:
    """The completed job's timing; 409 when the job has none, 404 when it is gone. Read in a
    thread: a long text's is megabytes."""
    result = state.result
    if state.status is not JobStatus.completed or result is None:
        raise AudioNotReady(state.id, state.status.value)
    if result.timing is None:
        raise NoWordTiming(state.id, state.provider)
    try:
        return await asyncio.to_thread(_timing, s3, result.audio.bucket, result.timing.key)
    except S3Error as err:
        if err.code in ("NoSuchKey", "NoSuchBucket"):
            raise WordTimingGone(state.id) from err
        raise


async def word_captions_response(
    s3: Minio, state: JobState, fmt: word_captions.WordFormat, asked: RangeRequest
) -> Response:
    timing = await job_timing(s3, state)
    assert state.result is not None
    spans = sorted(state.result.turn_timings, key=lambda timing: timing.index)
    render = word_captions.WRITERS[fmt]
    body = (await asyncio.to_thread(render, state.input.turns, spans, timing)).encode()
    disposition = content_disposition(state, word_captions.EXTENSIONS[fmt])
    return rendered_response(body, word_captions.CONTENT_TYPES[fmt], disposition, asked)
