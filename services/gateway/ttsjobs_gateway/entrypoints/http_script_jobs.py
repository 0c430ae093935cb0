"""POST /api/v1/jobs/tts/script: a script and the job's options as one JSON body; and
``{"script": "..."}``, which parseScript takes too (http_scripts.py).

The same job as a text/plain script POSTed to the multi-role route with its options in the
query, for clients that send JSON only (generated SDKs): the same parser and limits
(scripts.py), casting, Idempotency-Key and 202. A problem in the script is named by its line
(``script.line[3]``), as in a text/plain one; the options are MultiRoleRequest's own fields,
declared once there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, create_model
from starlette.concurrency import run_in_threadpool

from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits, size_problems
from ttsjobs.contracts.script import Script
from ttsjobs_gateway import handlers
from ttsjobs_gateway.bodies import OffLoopRoute, model_of
from ttsjobs_gateway.entrypoints.http_jobs import SUBMIT_PROBLEMS, Submitting
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.schemas import JobView
from ttsjobs_gateway.scripts import (
    QUERY_FIELDS,
    SCRIPT_EXAMPLE,
    dialogue_of,
    invalid_script,
    named_by_line,
    read_script,
)

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


class ScriptText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    script: str = Field(
        description="a script: `Alice: Hello.` lines, `[pause 1s]`, `# voice Alice: af_heart`,"
        " a first `# title` line (see the README)",
        examples=[SCRIPT_EXAMPLE],
    )


if TYPE_CHECKING:  # mypy sees a script; the fields below are MultiRoleRequest's, checked there
    ScriptJobRequest = ScriptText
else:
    ScriptJobRequest = create_model(
        "ScriptJobRequest",
        __base__=ScriptText,
        __doc__="A script and the options of the job it makes (as MultiRoleRequest has them).",
        **{
            name: (field.annotation, field)
            for name, field in MultiRoleRequest.model_fields.items()
            if name in QUERY_FIELDS
        },
    )


def script_bytes(text: str) -> bytes:
    """``text`` as a text/plain body would carry it. A lone surrogate (JSON can carry one)
    stays a bad byte, refused and named by its line as in a text/plain body."""
    return text.encode("utf-8", "surrogatepass")


def script_job(body: ScriptText, limits: RequestLimits) -> tuple[Script, MultiRoleRequest]:
    """The script in ``body`` and the request it stands for with ``body``'s options, or a 422
    naming the line of each problem."""
    script = read_script("text/plain", script_bytes(body.script))
    if problems := size_problems(dialogue_of(script), limits):
        raise invalid_script(problems)
    fields: dict[str, Any] = body.model_dump(exclude={"script"}, exclude_unset=True)
    if "title" not in fields and script.title is not None:
        fields["title"] = script.title  # the script's "# 晨間節目" line, unless one is given
    data = {
        **fields,
        "turns": list(script.turns),
        "voice_assignments": {name: {"voice": voice} for name, voice in script.voices.items()},
    }
    try:
        return script, model_of(MultiRoleRequest, data)
    except InvalidRequest as refused:
        raise invalid_script([named_by_line(p, script) for p in refused.problems]) from None


async def submit_script_job(
    body: ScriptJobRequest, response: Response, submitting: Submitting
) -> JobView:
    # Off the event loop: a megabyte of one-character lines takes a second to read.
    script, request = await run_in_threadpool(script_job, body, submitting.settings.limits)
    try:
        return await submitting.accept(handlers.submit_job, request, response)
    except InvalidRequest as refused:  # casting, a voice: named by the line it stands on
        raise invalid_script([named_by_line(p, script) for p in refused.problems]) from None


# Added by hand, not with @router.post: its body is read off the event loop (OffLoopRoute).
router.add_api_route(
    "/tts/script",
    submit_script_job,
    methods=["POST"],
    operation_id="submitScriptJob",
    status_code=202,
    response_model=JobView,
    responses=SUBMIT_PROBLEMS,
    summary="Submit a script with the job's options as JSON; answers at once with the pending job",
    description="The job a text/plain script POSTed to /api/v1/jobs/tts/multi-role makes, for"
    " clients that send JSON only. Speakers without a `# voice` line are cast; the script's"
    " first `# …` line is the title unless `title` is given.",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {
                        "script": "# 晨間節目\n" + SCRIPT_EXAMPLE,
                        "output_format": "mp3",
                    }
                }
            }
        }
    },
    route_class_override=OffLoopRoute,
)
