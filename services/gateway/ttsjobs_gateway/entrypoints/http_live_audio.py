"""REST endpoints for listening to a job while it renders: its growing HLS playlist and the MP3
segments it lists, through the gateway with the caller's key like every job route (the bucket is
never exposed). growing_playlist.py reads them from the bucket."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from ttsjobs.jobs.live_audio import CONTENT_TYPE as SEGMENT_TYPE
from ttsjobs_gateway.auth import CurrentCaller
from ttsjobs_gateway.growing_playlist import CONTENT_TYPE, manifest, playlist, segment
from ttsjobs_gateway.state import AudioFiles, GatewaySettings, Reads

router = APIRouter(prefix="/api/v1/jobs", tags=["live"])
JobId = Annotated[uuid.UUID, "the job id returned at submission"]
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
_PLAYLIST_EXAMPLE = (
    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-TARGETDURATION:6\n"
    "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:4.608000,\nlive/0.mp3\n#EXTINF:3.072000,\nlive/1.mp3\n"
)


@router.get(
    "/{job_id}/live.m3u8",
    operation_id="livePlaylist",
    summary="Listen while the job renders: a growing HLS playlist",
    description="The job's finished beginning, as an HLS EVENT playlist of MP3 segments (mono,"
    " 24 kHz at most), each finished turn with its pause before it, in order: levelled but"
    " not yet mastered. A turn longer than the target duration (6 s, the same from the first"
    " version on) comes in several segments of about equal length. Ask again to see it grow;"
    " EXT-X-ENDLIST once the job has ended. The segments are one continuous MP3 stream cut at"
    " frame boundaries, so appended one after another they play without gaps. A job that has"
    " not finished a turn yet lists none.",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE: {"example": _PLAYLIST_EXAMPLE}}}, 404: _PROBLEM},
)
async def live_playlist(
    job_id: JobId,
    caller: CurrentCaller,
    reads: Reads,
    audio: AudioFiles,
    settings: GatewaySettings,
) -> Response:
    state = await reads.current(str(job_id), caller.user_id)
    listed = await manifest(audio, settings.s3_bucket, state)
    return Response(
        playlist(listed, ended=state.is_terminal),
        media_type=CONTENT_TYPE,
        headers={"Cache-Control": "no-store"},  # it grows: every ask must see the newest
    )


@router.get(
    "/{job_id}/live/{index}.mp3",
    operation_id="liveSegment",
    summary="One segment of the live playlist",
    description="MP3 frames of the job's live audio; the playlist lists those there.",
    response_class=Response,
    responses={200: {"content": {SEGMENT_TYPE: {}}}, 404: _PROBLEM},
)
async def live_segment(
    job_id: JobId,
    index: Annotated[int, Path(ge=0, le=99_999, description="the segment's place, from 0")],
    caller: CurrentCaller,
    reads: Reads,
    audio: AudioFiles,
    settings: GatewaySettings,
) -> Response:
    state = await reads.current(str(job_id), caller.user_id)
    data = await segment(audio, settings.s3_bucket, state, index)
    # A listed segment never changes while the job lives: the browser may keep it.
    return Response(
        data, media_type=SEGMENT_TYPE, headers={"Cache-Control": "private, max-age=3600"}
    )
