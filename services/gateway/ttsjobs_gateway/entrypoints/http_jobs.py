"""REST endpoints for jobs: submit, read, list and search, rename, cancel, download."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response

from ttsjobs.contracts.job_request import FieldProblem, JobType, MultiRoleRequest
from ttsjobs.contracts.single import SingleRequest
from ttsjobs.contracts.strings import unstorable
from ttsjobs.jobs.state import JobStatus
from ttsjobs_gateway import handlers
from ttsjobs_gateway.auth import CurrentCaller
from ttsjobs_gateway.downloads import audio_response, captions_response
from ttsjobs_gateway.errors import AudioNotReady, InvalidRequest
from ttsjobs_gateway.idempotency import check_key
from ttsjobs_gateway.schemas import JobPage, JobView, RenameRequest
from ttsjobs_gateway.scripts import SCRIPT_BODY, ScriptRoute, query_parameters
from ttsjobs_gateway.state import (
    AudioFiles,
    GatewaySettings,
    History,
    Idempotency,
    Rate,
    Reads,
    Voices,
)

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])
JobId = Annotated[uuid.UUID, "the job id returned at submission"]

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="repeat a request safely: the same key and body give the same job",
        max_length=255,
    ),
]


async def submit_multi_role(
    request: MultiRoleRequest,
    response: Response,
    caller: CurrentCaller,
    history: History,
    reads: Reads,
    catalogue: Voices,
    idempotency: Idempotency,
    rate: Rate,
    settings: GatewaySettings,
    idempotency_key: IdempotencyKey = None,
) -> JobView:
    keyed = (idempotency, check_key(idempotency_key)) if idempotency_key is not None else None
    state = await handlers.submit_job(
        request,
        user_id=caller.user_id,
        history=history,
        catalogue=catalogue,
        settings=settings,
        idempotency=keyed,
        rate=rate,
        reads=reads,
    )
    response.headers["Location"] = f"/api/v1/jobs/{state.id}"
    return JobView.of(state, retention=settings.retention)


# Added by hand, not with @router.post: only this route takes a text/plain script too.
router.add_api_route(
    "/tts/multi-role",
    submit_multi_role,
    methods=["POST"],
    operation_id="submitMultiRoleJob",
    status_code=202,
    response_model=JobView,
    responses={409: _PROBLEM, 413: _PROBLEM, 422: _PROBLEM, 429: _PROBLEM, 503: _PROBLEM},
    summary="Submit a multi-role dialogue; answers at once with the pending job",
    description="The dialogue as JSON, or as a script in text/plain (`Alice: Hello.` lines;"
    " see the README), with the request's other fields in the query.",
    openapi_extra={
        "requestBody": {"content": {"text/plain": SCRIPT_BODY}},
        "parameters": query_parameters(),
    },
    route_class_override=ScriptRoute,
)


@router.post(
    "/tts",
    operation_id="submitSingleJob",
    status_code=202,
    response_model=JobView,
    responses={409: _PROBLEM, 413: _PROBLEM, 422: _PROBLEM, 429: _PROBLEM, 503: _PROBLEM},
    summary="Submit a long text for one voice (single_tts); answers at once with the pending job",
    description="Up to 100,000 characters, split at sentence boundaries (see the README); each"
    " sentence is synthesised like a turn, so progress and captions count sentences.",
)
async def submit_single(
    request: SingleRequest,
    response: Response,
    caller: CurrentCaller,
    history: History,
    reads: Reads,
    catalogue: Voices,
    idempotency: Idempotency,
    rate: Rate,
    settings: GatewaySettings,
    idempotency_key: IdempotencyKey = None,
) -> JobView:
    keyed = (idempotency, check_key(idempotency_key)) if idempotency_key is not None else None
    state = await handlers.submit_single_job(
        request,
        user_id=caller.user_id,
        history=history,
        catalogue=catalogue,
        settings=settings,
        idempotency=keyed,
        rate=rate,
        reads=reads,
    )
    response.headers["Location"] = f"/api/v1/jobs/{state.id}"
    return JobView.of(state, retention=settings.retention)


@router.get(
    "/{job_id}",
    operation_id="getJob",
    response_model=JobView,
    responses={404: _PROBLEM, 422: _PROBLEM},
)
async def get_job(
    job_id: JobId,
    caller: CurrentCaller,
    reads: Reads,
    history: History,
    settings: GatewaySettings,
) -> Response:
    state = await handlers.find_job(
        str(job_id), user_id=caller.user_id, reads=reads, history=history
    )
    # Serialised here: returned as a model, it would be validated a second time against
    # response_model (which still documents it), on the most polled endpoint there is.
    # A finished job's JSON is kept with its state (see finished_rows).
    body = reads.view_json(state, retention=settings.retention)
    return Response(body, media_type="application/json")


@router.get("", operation_id="listJobs", response_model=JobPage, responses={422: _PROBLEM})
async def list_jobs(
    caller: CurrentCaller,
    reads: Reads,
    settings: GatewaySettings,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    status: JobStatus | None = None,
    job_type: JobType | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="only jobs whose title or turn texts hold this text (case-insensitive"
            " for Latin letters; % and _ are taken literally)",
            examples=["早安"],
        ),
    ] = None,
) -> JobPage:
    if q is not None and (bad := unstorable(q)) is not None:
        raise InvalidRequest([FieldProblem("q", f"contains {bad[1]} at index {bad[0]}")])
    states, next_cursor = await reads.page(
        caller.user_id,
        limit=limit,
        status=status,
        job_type=job_type,
        cursor=cursor,
        q=q or None,
    )
    return JobPage(
        items=[JobView.of(s, retention=settings.retention) for s in states],
        next_cursor=next_cursor,
    )


@router.patch(
    "/{job_id}",
    operation_id="renameJob",
    response_model=JobView,
    responses={404: _PROBLEM, 422: _PROBLEM, 503: _PROBLEM},
    summary="Give a job a new title, in any status",
)
async def rename_job(
    job_id: JobId,
    body: RenameRequest,
    caller: CurrentCaller,
    reads: Reads,
    history: History,
    settings: GatewaySettings,
) -> JobView:
    # Someone else's job is refused from the table, before its events are read.
    await reads.refuse_foreign(str(job_id), caller.user_id)
    state = await handlers.rename_job(
        str(job_id), body.title, user_id=caller.user_id, history=history
    )
    return JobView.of(state, retention=settings.retention)


@router.delete(
    "/{job_id}",
    operation_id="cancelJob",
    response_model=JobView,
    responses={
        200: {"description": "the pending job is cancelled"},
        202: {"description": "cancel requested: the job stops at its next turn boundary"},
        404: _PROBLEM,
        409: _PROBLEM,
        422: _PROBLEM,
    },
)
async def cancel_job(
    job_id: JobId,
    response: Response,
    caller: CurrentCaller,
    reads: Reads,
    history: History,
    settings: GatewaySettings,
) -> JobView:
    # Someone else's job is refused from the table, before its events are read.
    await reads.refuse_foreign(str(job_id), caller.user_id)
    state = await handlers.cancel_job(str(job_id), user_id=caller.user_id, history=history)
    if state.status is not JobStatus.cancelled:
        response.status_code = 202
    return JobView.of(state, retention=settings.retention)


@router.get(
    "/{job_id}/download",
    operation_id="downloadAudio",
    response_class=Response,
    responses={
        200: {"content": {"audio/wav": {}, "audio/flac": {}, "audio/mpeg": {}, "audio/ogg": {}}},
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
    history: History,
    audio: AudioFiles,
    range_header: Annotated[str | None, Header(alias="Range")] = None,
):
    state = await handlers.find_job(
        str(job_id), user_id=caller.user_id, reads=reads, history=history
    )
    if state.result is None:
        raise AudioNotReady(state.id, state.status.value)
    return await audio_response(audio, state, range_header)


@router.get(
    "/{job_id}/captions",
    operation_id="downloadCaptions",
    response_class=Response,
    responses={
        200: {"content": {"text/vtt": {}, "application/x-subrip": {}}},
        404: _PROBLEM,
        409: _PROBLEM,
        422: _PROBLEM,
    },
)
async def download_captions(
    job_id: JobId,
    caller: CurrentCaller,
    reads: Reads,
    history: History,
    format: Literal["vtt", "srt"] = "vtt",
) -> Response:
    state = await handlers.find_job(
        str(job_id), user_id=caller.user_id, reads=reads, history=history
    )
    return captions_response(state, format)
