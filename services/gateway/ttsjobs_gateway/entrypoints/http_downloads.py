"""REST endpoints for a job's files: its audio and its captions, by GET and HEAD, with Range
and If-Range (downloads.py builds the answers)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response

from ttsjobs.jobs.state import JobState
from ttsjobs_gateway.auth import CurrentCaller
from ttsjobs_gateway.downloads import RangeRequest, audio_response, captions_response
from ttsjobs_gateway.errors import AudioNotReady
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.state import AudioFiles, Reads
from ttsjobs_gateway.word_downloads import word_captions_response

router = APIRouter(prefix="/api/v1/jobs", tags=["downloads"])
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
_CAPTIONS: dict[str, Any] = {"text/vtt": {}, "application/x-subrip": {}, "application/json": {}}
CaptionsFormat = Annotated[
    Literal["vtt", "srt", "vtt-words", "srt-words", "alignment"],
    Query(
        description="vtt, srt: a cue per turn (a sentence, in a single_tts job). Word level,"
        " where the engine times words (409 where it does not): vtt-words, a cue per turn with"
        " a karaoke timestamp before each word; srt-words, a cue per word; alignment, JSON with"
        " every character of the text and its start and end in seconds (characters,"
        " character_start_times_seconds, character_end_times_seconds, as ElevenLabs answers)"
    ),
]
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
    audio: AudioFiles,
    format: CaptionsFormat = "vtt",
    range_header: RangeHeader = None,
    if_range: IfRangeHeader = None,
) -> Response:
    state = await reads.current(str(job_id), caller.user_id)
    asked = RangeRequest(range_header, if_range)
    if format == "vtt" or format == "srt":
        return captions_response(state, format, asked)
    return await word_captions_response(audio, state, format, asked)


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
    audio: AudioFiles,
    format: CaptionsFormat = "vtt",
) -> Response:
    state = await reads.current(str(job_id), caller.user_id)
    if format == "vtt" or format == "srt":
        return captions_response(state, format, RangeRequest(head=True))
    return await word_captions_response(audio, state, format, RangeRequest(head=True))
