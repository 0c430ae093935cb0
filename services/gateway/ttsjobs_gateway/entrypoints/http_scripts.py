"""POST /api/v1/scripts/parse: a script read into turns, with nothing submitted.

The web app's "paste a script" box fills its turn editor from this answer, so a script reads the
same there as when it is POSTed as a job or given to ``ttsjobs submit``: one parser, on the
server. Problems come back as the job route gives them, each named by its line, and a script
a job could not take (too many turns, speakers or characters) is refused here too.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ttsjobs.contracts.job_request import FieldProblem, Turn
from ttsjobs_gateway.auth import authenticated
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.scripts import SCRIPT_BODY, is_script, script_of

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
    openapi_extra={"requestBody": {"required": True, "content": {"text/plain": SCRIPT_BODY}}},
)
async def parse_script(request: Request) -> Response:
    if not is_script(request):
        raise InvalidRequest([FieldProblem("Content-Type", "a script is sent as text/plain")])
    script = await script_of(request)  # within a job's limits: 200 turns, not 200,000
    parsed = ParsedScript(turns=script.turns, voices=script.voices, title=script.title)
    # None is left out of the turns (a turn without a pause); the title is always there.
    body = parsed.model_dump(mode="json", exclude_none=True) | {"title": script.title}
    return JSONResponse(body)
