"""A dialogue script POSTed as text/plain: the same job as its JSON, through the same route.

``ScriptRoute`` wraps the submit route. A text/plain body is parsed (ttsjobs.contracts.script),
its size checked and the request it stands for validated, all in a worker thread as the JSON
route's body is (``bodies.OffLoopRoute``), with the request's other fields (title, provider,
output_format, …) from the query. From there on it is the JSON route: the body limit (already
applied by BodyTooLarge), the Idempotency-Key, casting, the limits and the 202. A problem found
later about a turn (``turns[3].text``) is named by the line that turn starts on.

No CSRF hole although text/plain is a "simple" content type a form can send cross-site: the
API takes its key from the Authorization header only, which no form can set.
"""

from __future__ import annotations

import re
from typing import Any

import structlog
from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from ttsjobs.contracts.job_request import (
    FieldProblem,
    Mastering,
    MultiRoleRequest,
    OutputFormat,
    RequestLimits,
    request_problems,
    size_problems,
)
from ttsjobs.contracts.script import Script, ScriptProblems, parse_script
from ttsjobs_gateway.auth import caller_of
from ttsjobs_gateway.bodies import Handler, OffLoopRoute, ValidatedRequest, model_of
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.state import ports_of

log = structlog.get_logger()

SCRIPT_EXAMPLE = """\
Alice: Good morning, Bob. Did you sleep well?
Bob: Like a log.
[pause 1s]
Alice: Then let us take the long way to work.
"""
SCRIPT_BODY = {"schema": {"type": "string"}, "example": SCRIPT_EXAMPLE}
QUERY_FIELDS = (
    "title", "provider", "output_format", "sample_rate", "pause_ms", "callback_url", "lexicons",
    "mastering", "bitrate_kbps", "stems",
)  # fmt: skip
_TURN_FIELD = re.compile(r"turns\[(\d+)\]")
_LINE_FIELD = re.compile(r"script\.line\[(\d+)\]")


def is_script(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").partition(";")[0]
    return media_type.strip().lower() == "text/plain"


class ScriptRoute(OffLoopRoute):
    """The submit route, taking a script as text/plain besides its JSON."""

    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()

        async def route(request: Request) -> Response:
            if not is_script(request):
                return await handle(request)
            # Who asks comes before what they sent, as on the JSON route: a script without a
            # key is a 401, not a 422 that has read it.
            await caller_of(request)
            body = await request.body()
            script, submitted = await run_in_threadpool(
                script_request,
                request.headers.get("content-type", ""),
                body,
                query_of(request),
                ports_of(request).settings.limits,
            )
            try:
                return await handle(ValidatedRequest(request, body, submitted))
            except InvalidRequest as refused:
                raise invalid_script([named_by_line(p, script) for p in refused.problems]) from None

        return route


def query_of(request: Request) -> dict[str, Any]:
    """The query's fields; ``lexicons`` is repeated, one name each (``?lexicons=a&lexicons=b``)."""
    query: dict[str, Any] = dict(request.query_params)
    if "lexicons" in query:
        query["lexicons"] = request.query_params.getlist("lexicons")
    return query


def script_request(
    content_type: str, body: bytes, query: dict[str, Any], limits: RequestLimits
) -> tuple[Script, MultiRoleRequest]:
    """The script in ``body`` and the request it stands for, or a 422 naming the line of each
    problem. Its size is checked before the request is validated; the job's other limits are
    the job's (``handlers.checked_job``)."""
    script = read_script(content_type, body)
    if problems := size_problems(dialogue_of(script), limits):
        raise invalid_script(problems)
    try:
        return script, model_of(MultiRoleRequest, request_body(script, query))
    except InvalidRequest as refused:
        raise invalid_script([named_by_line(p, script) for p in refused.problems]) from None


async def script_of(request: Request) -> Script:
    """The request's text/plain body as a script within a job's limits, or a 422 naming the
    line of each problem."""
    content_type, body = request.headers.get("content-type", ""), await request.body()
    limits = ports_of(request).settings.limits
    # Off the event loop: a megabyte of one-character lines takes a second to read.
    return await run_in_threadpool(script_within_limits, content_type, body, limits)


def script_within_limits(content_type: str, body: bytes, limits: RequestLimits) -> Script:
    """The script in ``body``, refused as a job would be for its size and its turns' lengths."""
    script = read_script(content_type, body)
    dialogue = dialogue_of(script)
    problems = size_problems(dialogue, limits) or request_problems(dialogue, limits)
    if problems:
        raise invalid_script([named_by_line(p, script) for p in problems])
    return script


def dialogue_of(script: Script) -> MultiRoleRequest:
    """The script's turns as a dialogue, for the limits to count; not validated again (its
    turns were, as they were read) and without the fields only the query gives."""
    return MultiRoleRequest.model_construct(turns=script.turns)


def read_script(content_type: str, body: bytes) -> Script:
    """The script in ``body``, or a 422 naming the line of each problem."""
    charset = re.search(r";\s*charset\s*=\s*\"?([\w.:-]+)", content_type, re.I)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        raise InvalidRequest([FieldProblem("Content-Type", "a script is read as charset=utf-8")])
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        line = body[: err.start].count(b"\n") + 1
        bad = f"byte 0x{body[err.start]:02x}"
        raise invalid_script([FieldProblem(f"script.line[{line}]", f"not UTF-8 ({bad})")]) from None
    try:
        script = parse_script(text)
    except ScriptProblems as err:
        log.info("script.refused", problems=len(err.problems))
        raise invalid_script([FieldProblem(p.field, p.reason) for p in err.problems]) from None
    speakers = {turn.speaker for turn in script.turns}
    log.info("script.read", turns=len(script.turns), speakers=len(speakers))
    return script


_NUMBERS = ("sample_rate", "pause_ms", "bitrate_kbps")


def request_body(script: Script, query: dict[str, Any]) -> dict[str, Any]:
    """The request a script stands for; speakers without a "# voice" line are cast. The query
    is text: a number in it is read as one (the model takes no numbers as strings)."""
    fields = query_fields(query)
    if "title" not in fields and script.title is not None:
        fields["title"] = script.title  # the script's "# 晨間節目" line, unless the query names one
    return {
        **fields,
        "turns": list(script.turns),  # read and validated already: taken as they are
        "voice_assignments": {name: {"voice": voice} for name, voice in script.voices.items()},
    }


def query_fields(query: dict[str, Any]) -> dict[str, Any]:
    """The request's fields in the query, numbers and booleans read as such."""
    fields: dict[str, Any] = {name: query[name] for name in QUERY_FIELDS if name in query}
    for name in _NUMBERS:
        if name in fields and fields[name].isascii() and fields[name].isdigit():
            fields[name] = int(fields[name])
    if fields.get("stems") in ("true", "false"):  # ?stems=true; anything else is refused
        fields["stems"] = fields["stems"] == "true"
    return fields


def invalid_script(problems: list[FieldProblem]) -> InvalidRequest:
    """A 422 whose detail reads as the script does: "line 7: no speaker; …"."""
    lines = [
        f"line {line.group(1)}: {p.reason}" if (line := _LINE_FIELD.fullmatch(p.field))
        else f"{p.field}: {p.reason}"
        for p in problems
    ]  # fmt: skip
    return InvalidRequest(problems, detail="; ".join(lines))


def named_by_line(problem: FieldProblem, script: Script) -> FieldProblem:
    """``turns[3].text`` as the line turn 3 starts on; a speaker's voice as the speaker's
    "# voice" line, or else the line of their first turn."""
    turn = _TURN_FIELD.match(problem.field)
    if turn and int(turn.group(1)) < len(script.turn_lines):
        return FieldProblem(f"script.line[{script.turn_lines[int(turn.group(1))]}]", problem.reason)
    first_lines: dict[str, int] = {}
    for spoken, line in zip(script.turns, script.turn_lines, strict=True):
        first_lines.setdefault(spoken.speaker, line)
    # The longest name that fits: "Dr. Who" before "Dr." in "voice_assignments.Dr. Who.voice".
    for speaker in sorted(first_lines, key=len, reverse=True):
        field = f"voice_assignments.{speaker}"
        if problem.field == field or problem.field.startswith(f"{field}."):
            line = script.voice_lines.get(speaker, first_lines[speaker])
            return FieldProblem(f"script.line[{line}]", problem.reason)
    return problem


def query_parameters() -> list[dict[str, Any]]:
    """The query, documented: it only matters to a text/plain script."""
    schemas: dict[str, dict[str, Any]] = {
        "title": {"type": "string", "maxLength": 200},
        "provider": {"type": "string", "maxLength": 32},
        "output_format": {"type": "string", "enum": [f.value for f in OutputFormat]},
        "sample_rate": {"type": "integer"},
        "pause_ms": {"type": "integer", "minimum": 0, "maximum": 10_000},
        "callback_url": {"type": "string", "maxLength": 2000},
        "lexicons": {"type": "array", "items": {"type": "string", "maxLength": 64}, "maxItems": 20},
        "mastering": {"type": "string", "enum": [m.value for m in Mastering]},
        "bitrate_kbps": {"type": "integer"},
        "stems": {"type": "boolean"},
    }
    return [
        {"name": name, "in": "query", "required": False, "schema": schema,
         "description": f"with a text/plain script or SSML: the request's {name}; JSON carries"
         " its own"}
        | ({"style": "form", "explode": True} if name == "lexicons" else {})
        for name, schema in schemas.items()
    ]  # fmt: skip
