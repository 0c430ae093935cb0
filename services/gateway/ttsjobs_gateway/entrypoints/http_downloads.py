"""REST endpoints for a job's files: its audio and its captions, by GET and HEAD, with Range
and If-Range (downloads.py builds the answers)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Response

from ttsjobs.jobs.state import JobState
from ttsjobs_gateway.auth import CurrentCaller
from ttsjobs_gateway.downloads import RangeRequest, audio_response, captions_response
from ttsjobs_gateway.errors import AudioNotReady
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.state import AudioFiles, Reads

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])
JobId = Annotated[uuid.UUID, "the job id returned at submission"]
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


RangeHeader = Annotated[
    str | None,
    Header(alias="Range", description="one byte range, e.g. bytes=0-1023 (RFC 9110 §14.2)"),
]
IfRangeHeader = Annotated[
    str | None,
    Header(
        alias="If-Range",
        description="the ETag or Last-Modified a range was read from: if the file is another"
        " now, the whole file is sent",
    ),
]
_AUDIO: dict[str, Any] = {
    "audio/wav": {},
    "audio/flac": {},
    "audio/mpeg": {},
    "audio/ogg": {},
    "audio/mp4": {},
}
_CAPTIONS: dict[str, Any] = {"text/vtt": {}, "application/x-subrip": {}}
_HEAD = "the headers a GET sends (Content-Length, ETag, Accept-Ranges…), without its body"


async def _audio_of(job_id: uuid.UUID, user_id: str, reads: JobReads) -> JobState:
    state = await reads.current(str(job_id), user_id)
    if state.result is None:
        raise AudioNotReady(state.id, state.status.value)
    return state


@router.get(
    "/{job_id}/download",
    operation_id="downloadAudio",
    response_class=Response,
    responses={
        200: {"content": _AUDIO},
        206: {"description": "the requested byte range"},
        404: _PROBLEM,
        409: _PROBLEM,
        416: _PROBLEM,
    },
)
async def download_audio(
    job_id: JobId,
    caller: CurrentCaller,
    reads: Reads,
    audio: AudioFiles,
    range_header: RangeHeader = None,
    if_range: IfRangeHeader = None,
) -> Response:
    state = await _audio_of(job_id, caller.user_id, reads)
    return await audio_response(audio, state, RangeRequest(range_header, if_range))


@router.head(
    "/{job_id}/download",
    operation_id="headAudio",
    response_class=Response,
    responses={200: {"description": _HEAD, "content": _AUDIO}, 404: _PROBLEM, 409: _PROBLEM},
)
async def head_audio(
    job_id: JobId, caller: CurrentCaller, reads: Reads, audio: AudioFiles
) -> Response:
    state = await _audio_of(job_id, caller.user_id, reads)
    return await audio_response(audio, state, RangeRequest(head=True))


@router.get(
    "/{job_id}/captions",
    operation_id="downloadCaptions",
    response_class=Response,
    responses={
        200: {"content": _CAPTIONS},
        206: {"description": "the requested byte range"},
        404: _PROBLEM,
        409: _PROBLEM,
        416: _PROBLEM,
        422: _PROBLEM,
    },
)
async def download_captions(
    job_id: JobId,
    caller: CurrentCaller,
    reads: Reads,
    format: Literal["vtt", "srt"] = "vtt",
    range_header: RangeHeader = None,
    if_range: IfRangeHeader = None,
) -> Response:
    state = await reads.current(str(job_id), caller.user_id)
    return captions_response(state, format, RangeRequest(range_header, if_range))


@router.head(
    "/{job_id}/captions",
    operation_id="headCaptions",
    response_class=Response,
    responses={
        200: {"description": _HEAD, "content": _CAPTIONS},
        404: _PROBLEM,
        409: _PROBLEM,
        422: _PROBLEM,
    },
)
async def head_captions(
    job_id: JobId,
    caller: CurrentCaller,
    reads: Reads,
    format: Literal["vtt", "srt"] = "vtt",
) -> Response:
    state = await reads.current(str(job_id), caller.user_id)
    return captions_response(state, format, RangeRequest(head=True))
