"""POST /api/v1/scripts/parse: a script read into turns, with nothing submitted.

The web app's "paste a script" box fills its turn editor from this answer, so a script reads the
same there as when it is POSTed as a job or given to ``ttsjobs submit``: one parser, on the
server. Problems come back as the job route gives them, each named by its line, and a script
a job could not take (too many turns, speakers or characters) is refused here too. The script
comes as text/plain, or as ``{"script": "..."}`` for clients that send JSON only.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ttsjobs.contracts.job_request import FieldProblem, RequestLimits, Turn
from ttsjobs.contracts.script import Script
from ttsjobs_gateway.auth import authenticated
from ttsjobs_gateway.bodies import is_json, validated
from ttsjobs_gateway.entrypoints.http_script_jobs import ScriptText, script_bytes
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.scripts import SCRIPT_BODY, is_script, script_of, script_within_limits
from ttsjobs_gateway.state import ports_of

router = APIRouter(
    prefix="/api/v1/scripts", tags=["scripts"], dependencies=[Depends(authenticated)]
)


class ParsedScript(BaseModel):
    turns: list[Turn]
    voices: dict[str, str] = Field(
        description='voices the script names on "# voice Name: id" lines; other speakers are'
        " cast when the dialogue is submitted",
        examples=[{"Alice": "af_heart"}],
    )
    title: str | None = Field(
        default=None,
        description='the script\'s first line when it is a comment ("# 晨間節目"), not a'
        ' "# voice" line; a job made from the script takes it unless given another',
        examples=["晨間節目"],
    )


@router.post(
    "/parse",
    operation_id="parseScript",
    response_model=ParsedScript,
    response_model_exclude_none=True,
    responses={
        413: {"content": {"application/problem+json": {}}},
        422: {"content": {"application/problem+json": {}}},
    },
    summary="Read a script into turns without submitting it",
    description='The script as text/plain, or as JSON: `{"script": "..."}`.',
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/plain": SCRIPT_BODY,
                "application/json": {
                    "schema": ScriptText.model_json_schema(),
                    "example": {"script": SCRIPT_BODY["example"]},
                },
            },
        }
    },
)
async def parse_script(request: Request) -> Response:
    if is_json(request):
        script = await _json_script(request)
    elif is_script(request):
        script = await script_of(request)  # within a job's limits: 200 turns, not 200,000
    else:
        raise InvalidRequest(
            [FieldProblem("Content-Type", "a script is sent as text/plain, or in JSON")]
        )
    parsed = ParsedScript(turns=script.turns, voices=script.voices, title=script.title)
    # None is left out of the turns (a turn without a pause); the title is always there.
    body = parsed.model_dump(mode="json", exclude_none=True) | {"title": script.title}
    return JSONResponse(body)


async def _json_script(request: Request) -> Script:
    body, limits = await request.body(), ports_of(request).settings.limits
    # Off the event loop, as a text/plain script is read (scripts.script_of).
    return await run_in_threadpool(_script_in_json, body, limits)


def _script_in_json(body: bytes, limits: RequestLimits) -> Script:
    sent = validated(ScriptText, body, limits)
    return script_within_limits("text/plain", script_bytes(sent.script), limits)
