"""REST endpoints for a producer's files of a job: its chapters as WebVTT chapter cues or
Podcasting 2.0 JSON (rendered from the result; the audio file carries them too), and its stems,
the zip of one track per speaker stored at job time (by GET and HEAD, with Range)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response

from ttsjobs.jobs import chapters
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs_gateway.auth import CurrentCaller
from ttsjobs_gateway.downloads import RangeRequest, content_disposition, stored_response
from ttsjobs_gateway.errors import AudioNotReady, JobFileNotFound
from ttsjobs_gateway.state import AudioFiles, Reads

router = APIRouter(prefix="/api/v1/jobs", tags=["downloads"])
JobId = Annotated[uuid.UUID, "the job id returned at submission"]
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
_CHAPTERS: dict[str, Any] = {
    "text/vtt": {},
    "application/json+chapters": {
        "example": {
            "version": chapters.PODCAST_CHAPTERS_VERSION,
            "title": "晨間節目",
            "chapters": [
                {"startTime": 0.0, "endTime": 61.2, "title": "開場"},
                {"startTime": 61.2, "endTime": 300.5, "title": "Part two"},
            ],
        }
    },
}
_ZIP: dict[str, Any] = {"application/zip": {}}
ChapterFormat = Annotated[
    Literal["vtt", "json"],
    Query(description="vtt: WebVTT chapter cues; json: Podcasting 2.0 JSON chapters"),
]
RangeHeader = Annotated[
    str | None,
    Header(alias="Range", description="one byte range, e.g. bytes=0-1023 (RFC 9110 §14.2)"),
]
IfRangeHeader = Annotated[
    str | None,
    Header(alias="If-Range", description="the ETag or Last-Modified a range was read from"),
]


def _completed(state: JobState) -> JobState:
    if state.status is not JobStatus.completed or state.result is None:
        raise AudioNotReady(state.id, state.status.value)
    return state


@router.get(
    "/{job_id}/chapters",
    operation_id="downloadChapters",
    response_class=Response,
    responses={200: {"content": _CHAPTERS}, 404: _PROBLEM, 409: _PROBLEM, 422: _PROBLEM},
    summary="The job's chapters, as WebVTT chapter cues or Podcasting 2.0 JSON",
    description="A chapter starts at each turn with a `chapter` (a script's `## title` line)"
    " and ends where the next starts. MP3 and M4A files carry the same chapters (ID3 CHAP/CTOC,"
    " MP4 chapters). A completed job without chapters is a 404.",
)
async def download_chapters(
    job_id: JobId, caller: CurrentCaller, reads: Reads, format: ChapterFormat = "vtt"
) -> Response:
    state = _completed(await reads.current(str(job_id), caller.user_id))
    assert state.result is not None
    marks, duration_ms = state.result.chapters, state.result.duration_ms
    if not marks:
        raise JobFileNotFound(state.id, "has no chapters: start one with a '## title' line")
    if format == "vtt":
        body = chapters.webvtt(marks, duration_ms)
    else:
        body = chapters.podcast_json(marks, duration_ms, state.title)
    data = body.encode()
    return Response(
        data,
        media_type=chapters.CONTENT_TYPES[format],
        headers={
            "Content-Disposition": content_disposition(state, f"chapters.{format}"),
            "ETag": f'"{hashlib.sha256(data).hexdigest()[:32]}"',
        },
    )


async def _stems(job_id: uuid.UUID, user_id: str, reads: Reads) -> tuple[JobState, str]:
    state = _completed(await reads.current(str(job_id), user_id))
    assert state.result is not None
    if state.result.stems is None:
        raise JobFileNotFound(state.id, 'has no stems: submit it with "stems": true')
    return state, state.result.stems.key


@router.get(
    "/{job_id}/stems",
    operation_id="downloadStems",
    response_class=Response,
    responses={
        200: {"content": _ZIP},
        206: {"description": "the requested byte range"},
        404: _PROBLEM,
        409: _PROBLEM,
        416: _PROBLEM,
    },
    summary="The job's stems: a zip of one FLAC track per speaker",
    description="Each track is as long as the job's audio, holds its speaker's turns where they"
    " sit in it and silence elsewhere; summed they give the audio before mastering. Only a job"
    " submitted with `stems: true` has them; any other is a 404.",
)
async def download_stems(
    job_id: JobId,
    caller: CurrentCaller,
    reads: Reads,
    files: AudioFiles,
    range_header: RangeHeader = None,
    if_range: IfRangeHeader = None,
) -> Response:
    state, key = await _stems(job_id, caller.user_id, reads)
    assert state.result is not None
    disposition = content_disposition(state, "stems.zip")
    asked = RangeRequest(range_header, if_range)
    return await stored_response(
        files, state.result.audio.bucket, key, "application/zip", disposition, asked
    )


@router.head(
    "/{job_id}/stems",
    operation_id="headStems",
    response_class=Response,
    responses={200: {"content": _ZIP}, 404: _PROBLEM, 409: _PROBLEM},
)
async def head_stems(
    job_id: JobId, caller: CurrentCaller, reads: Reads, files: AudioFiles
) -> Response:
    state, key = await _stems(job_id, caller.user_id, reads)
    assert state.result is not None
    disposition = content_disposition(state, "stems.zip")
    head = RangeRequest(head=True)
    return await stored_response(
        files, state.result.audio.bucket, key, "application/zip", disposition, head
    )
