"""REST endpoints for jobs: submit, read, list and search, rename, cancel or delete (a job's
files: http_downloads.py)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.types import Receive, Scope, Send

from ttsjobs.contracts.job_request import FieldProblem, JobType, MultiRoleRequest
from ttsjobs.contracts.single import SingleRequest
from ttsjobs.contracts.strings import unstorable
from ttsjobs.jobs.deciding import JobHistory
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs_gateway import handlers, job_changes
from ttsjobs_gateway.auth import Caller, CurrentCaller, authenticated, caller_of
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.idempotency import IdempotencyKeys, check_key
from ttsjobs_gateway.lexicon_store import LexiconStore
from ttsjobs_gateway.limits import SubmissionRate
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.reads.pages import id_range
from ttsjobs_gateway.saved_voices import SavedVoices
from ttsjobs_gateway.schemas import JobPage, JobView, RenameRequest
from ttsjobs_gateway.scripts import SCRIPT_BODY, query_parameters
from ttsjobs_gateway.ssml.route import (
    SSML,
    SSML_BODY,
    SSML_DESCRIPTION,
    SsmlScriptRoute,
    SsmlSingleRoute,
    narrator_parameters,
    single_parameters,
    ssml_of,
)
from ttsjobs_gateway.state import (
    GatewaySettings,
    History,
    Idempotency,
    Lexicons,
    Rate,
    Reads,
    SavedVoicesPort,
    Voices,
    gateway_settings,
    job_reads,
)

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])
# handlers.submit_job or handlers.submit_single_job
Submit = Callable[..., Awaitable[JobState]]
JSON = "application/json"
JobId = Annotated[uuid.UUID, "the job id returned at submission"]

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
# What a submitting route may answer besides its 202, documented the same on every one.
SUBMIT_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: _PROBLEM for status in (409, 413, 422, 429, 503)
}
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="repeat a request safely: the same key and body give the same job",
        max_length=255,
    ),
]


@dataclass(frozen=True)
class Submission:
    """What both submit routes hand their handler: the caller, the ports, the key."""

    caller: Caller
    history: JobHistory
    reads: JobReads
    catalogue: CatalogueView
    idempotency: IdempotencyKeys
    rate: SubmissionRate
    settings: Settings
    lexicons: LexiconStore
    idempotency_key: str | None
    saved_voices: SavedVoices | None = None

    async def accept(self, submit: Submit, body: BaseModel, response: Response) -> JobView:
        """``submit(body, …)`` on the caller's behalf; the pending job's view, with its
        Location."""
        keyed = None
        if self.idempotency_key is not None:
            keyed = (self.idempotency, check_key(self.idempotency_key))
        state = await submit(
            body, user_id=self.caller.user_id, history=self.history, catalogue=self.catalogue,
            settings=self.settings, idempotency=keyed, rate=self.rate, reads=self.reads,
            lexicons=self.lexicons, saved_voices=self.saved_voices,
        )  # fmt: skip
        response.headers["Location"] = f"/api/v1/jobs/{state.id}"
        return JobView.of(state, retention=self.settings.retention)


async def submission(
    caller: CurrentCaller,
    history: History,
    reads: Reads,
    catalogue: Voices,
    idempotency: Idempotency,
    rate: Rate,
    settings: GatewaySettings,
    lexicons: Lexicons,
    saved_voices: SavedVoicesPort,
    idempotency_key: IdempotencyKey = None,
) -> Submission:
    return Submission(caller, history, reads, catalogue, idempotency, rate, settings, lexicons,
                      idempotency_key, saved_voices)  # fmt: skip


Submitting = Annotated[Submission, Depends(submission)]


async def submit_multi_role(
    request: MultiRoleRequest, response: Response, submitting: Submitting, sent: Request
) -> JobView:
    if (ssml := ssml_of(sent)) is not None:
        return await submitting.accept(ssml.submit, ssml.request, response)
    return await submitting.accept(handlers.submit_job, request, response)


# Added by hand, not with @router.post: only this route takes a text/plain script too (and
# SSML), and its body is read off the event loop (SsmlScriptRoute is an OffLoopRoute).
router.add_api_route(
    "/tts/multi-role",
    submit_multi_role,
    methods=["POST"],
    operation_id="submitMultiRoleJob",
    status_code=202,
    response_model=JobView,
    responses=SUBMIT_PROBLEMS,
    summary="Submit a multi-role dialogue; answers at once with the pending job",
    description="The dialogue as JSON, or as a script in text/plain (`Alice: Hello.` lines;"
    " see the README), with the request's other fields in the query." + SSML_DESCRIPTION,
    openapi_extra={
        "requestBody": {"content": {"text/plain": SCRIPT_BODY, SSML: SSML_BODY}},
        "parameters": query_parameters() + narrator_parameters(),
    },
    route_class_override=SsmlScriptRoute,
)


async def submit_single(
    request: SingleRequest, response: Response, submitting: Submitting, sent: Request
) -> JobView:
    if (ssml := ssml_of(sent)) is not None:  # one voice: single_tts; several: multi-role
        return await submitting.accept(ssml.submit, ssml.request, response)
    return await submitting.accept(handlers.submit_single_job, request, response)


# Added by hand, not with @router.post: its body is read off the event loop (OffLoopRoute).
router.add_api_route(
    "/tts",
    submit_single,
    methods=["POST"],
    operation_id="submitSingleJob",
    status_code=202,
    response_model=JobView,
    responses=SUBMIT_PROBLEMS,
    summary="Submit a long text for one voice (single_tts); answers at once with the pending job",
    description="Up to 100,000 characters, split at sentence boundaries (see the README); each"
    " sentence is synthesised like a turn, so progress and captions count sentences."
    + SSML_DESCRIPTION
    + " A document with several voices is run as a multi-role job: its `job_type` says so.",
    openapi_extra={
        "requestBody": {"content": {SSML: SSML_BODY}},
        "parameters": single_parameters(query_parameters()),
    },
    route_class_override=SsmlSingleRoute,
)


async def _job_answer(job_id: str, user_id: str, reads: JobReads, settings: Settings) -> Response:
    state = await reads.current(job_id, user_id)
    # Serialised here: returned as a model, it would be validated a second time against
    # response_model (which still documents it), on the most polled endpoint there is. A
    # finished job's JSON is kept with its state (see finished_rows).
    return Response(reads.view_json(state, retention=settings.retention), media_type=JSON)


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class JobRoute(APIRoute):
    """GET of one job with its dependencies resolved here, not by FastAPI.

    The most polled endpoint there is: FastAPI's solving of its dependency graph (the caller,
    its bearer token and key port, two ports, the path parameter) was a quarter of the
    gateway's CPU per GET under load. Here the same providers run directly: ``caller_of`` is
    ``authenticated`` on the same ``HTTPBearer``, and the ports come from their providers, as
    FastAPI would call them. While ``app.dependency_overrides`` replaces any of them (a test,
    an operator's hook), FastAPI solves the route itself, so an override holds here as on
    every route. An id not in the canonical form goes through FastAPI's own handling, which
    then parses it (another form of UUID) or refuses it (the 422 problem). The endpoint's
    signature still documents the route; construction fails if it declares anything not
    resolved here.
    """

    RESOLVED = frozenset({authenticated, job_reads, gateway_settings})

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        declared = self.dependant
        calls = {dep.call for dep in declared.dependencies}
        params = [p.name for p in declared.path_params]
        if (
            calls != self.RESOLVED
            or params != ["job_id"]
            or declared.query_params
            or declared.header_params
            or declared.cookie_params
            or declared.body_params
        ):
            raise TypeError(f"JobRoute resolves {sorted(c.__name__ for c in self.RESOLVED)} "
                            f"and job_id only; {endpoint.__name__} declares more")  # fmt: skip

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Answered here, past FastAPI's request wrapper too (its exit stacks serve dependencies
        # with yield; none here): an error raised goes to the same exception handlers, in
        # ExceptionMiddleware, as it would from within the wrapper.
        job_id = scope["path_params"]["job_id"]
        if (
            scope["method"] not in (self.methods or ())
            or not _CANONICAL_UUID.fullmatch(job_id)
            or self._overridden(scope)
        ):
            await super().handle(scope, receive, send)
            return
        request = Request(scope, receive, send)
        caller = await caller_of(request)
        reads, settings = await job_reads(request), await gateway_settings(request)
        response = await _job_answer(job_id, caller.user_id, reads, settings)
        await response(scope, receive, send)

    @staticmethod
    def _overridden(scope: Scope) -> bool:
        # The app is where FastAPI finds the overrides of every route it includes.
        overrides: dict[Any, Any] = getattr(scope.get("app"), "dependency_overrides", None) or {}
        return bool(overrides) and not JobRoute.RESOLVED.isdisjoint(overrides)


async def get_job(
    job_id: JobId, caller: CurrentCaller, reads: Reads, settings: GatewaySettings
) -> Response:
    # Reached for an id in another form than JobRoute's (upper case, no hyphens…), and while
    # a dependency is overridden.
    return await _job_answer(str(job_id), caller.user_id, reads, settings)


router.add_api_route(
    "/{job_id}",
    get_job,
    methods=["GET"],
    operation_id="getJob",
    response_model=JobView,
    responses={404: _PROBLEM, 422: _PROBLEM},
    route_class_override=JobRoute,
)


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
    id_prefix: Annotated[
        str | None,
        Query(
            description="only jobs whose id starts so: 1 to 32 hex digits, dashes allowed"
            " (as a short id is typed: a0c5, a0c5e1f2-3b)",
            examples=["a0c5"],
        ),
    ] = None,
) -> JobPage:
    if q is not None and (bad := unstorable(q)) is not None:
        raise InvalidRequest([FieldProblem("q", f"contains {bad[1]} at index {bad[0]}")])
    if id_prefix is not None:
        id_range(id_prefix)  # a bad prefix is a 422 naming id_prefix, before any read
    states, next_cursor = await reads.page(
        caller.user_id,
        limit=limit,
        status=status,
        job_type=job_type,
        cursor=cursor,
        q=q or None,
        id_prefix=id_prefix,
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
    state = await job_changes.rename_job(
        str(job_id), body.title, user_id=caller.user_id, history=history
    )
    return JobView.of(state, retention=settings.retention)


# What cancelling answers, from DELETE and from the cancel-only route alike.
_STOP_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the pending job is cancelled"},
    202: {"description": "cancel requested: the job stops at its next turn boundary"},
    404: _PROBLEM,
    409: _PROBLEM,
    422: _PROBLEM,
    503: _PROBLEM,
}


@router.delete(
    "/{job_id}",
    # Its id from when DELETE only cancelled: clients and the 202's links name it so.
    operation_id="cancelJob",
    response_model=JobView,
    summary="Cancel an unfinished job, or delete a finished one",
    description="A pending job is cancelled (200), a processing one asked to stop (202): as"
    " before. A finished job (completed, failed or cancelled) is deleted (204): from then on a"
    " GET of it is a 404 and no list shows it, and its audio and captions are removed once no"
    " other job of yours uses the same file. A job already deleted is a 404, as is another"
    " user's.",
    responses={**_STOP_RESPONSES, 204: {"description": "the finished job is deleted"}},
)
async def cancel_or_delete_job(
    job_id: JobId,
    response: Response,
    caller: CurrentCaller,
    reads: Reads,
    history: History,
    settings: GatewaySettings,
) -> JobView | Response:
    # Someone else's job is refused from the table, before its events are read.
    await reads.refuse_foreign(str(job_id), caller.user_id)
    state = await job_changes.delete_job(
        str(job_id), user_id=caller.user_id, history=history, reads=reads
    )
    if state is None:
        return Response(status_code=204)
    return _stopped(state, response, settings)


@router.post(
    "/{job_id}/cancel",
    operation_id="cancelUnfinishedJob",
    response_model=JobView,
    summary="Cancel an unfinished job; never delete one",
    description="What DELETE does to an unfinished job: a pending job is cancelled (200), a"
    " processing one asked to stop (202). A job that has finished, even a moment before, is a"
    " 409 and is kept: a client that means to cancel never deletes a result it has not seen.",
    responses=_STOP_RESPONSES,
)
async def cancel_unfinished_job(
    job_id: JobId,
    response: Response,
    caller: CurrentCaller,
    reads: Reads,
    history: History,
    settings: GatewaySettings,
) -> JobView:
    await reads.refuse_foreign(str(job_id), caller.user_id)
    state = await job_changes.cancel_job(str(job_id), user_id=caller.user_id, history=history)
    return _stopped(state, response, settings)


def _stopped(state: JobState, response: Response, settings: Settings) -> JobView:
    """A cancelled job's view (200), or a processing one's asked to stop (202)."""
    if state.status is not JobStatus.cancelled:
        response.status_code = 202
    return JobView.of(state, retention=settings.retention)
