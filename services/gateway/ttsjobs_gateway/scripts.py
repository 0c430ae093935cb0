"""A dialogue script POSTed as text/plain: the same job as its JSON, through the same route.

``ScriptRoute`` wraps the submit route. A text/plain body is parsed (ttsjobs.contracts.script)
and handed on as the JSON request it stands for, with the request's other fields (title,
provider, output_format, …) from the query. From there on it is the JSON route: the body limit
(already applied by BodyTooLarge), the Idempotency-Key, casting, the limits and the 202. A
problem found later about a turn (``turns[3].text``) is named by the line that turn starts on.

No CSRF hole although text/plain is a "simple" content type a form can send cross-site: the
API takes its key from the Authorization header only, which no form can set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

import structlog
from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.types import Message

from ttsjobs.contracts.job_request import FieldProblem, OutputFormat
from ttsjobs.contracts.script import Script, ScriptProblems, parse_script
from ttsjobs_gateway.auth import caller_of
from ttsjobs_gateway.errors import InvalidRequest

log = structlog.get_logger()

SCRIPT_EXAMPLE = """\
Alice: Good morning, Bob. Did you sleep well?
Bob: Like a log.
[pause 1s]
Alice: Then let us take the long way to work.
"""
SCRIPT_BODY = {"schema": {"type": "string"}, "example": SCRIPT_EXAMPLE}
QUERY_FIELDS = ("title", "provider", "output_format", "sample_rate", "pause_ms", "callback_url")
_TURN_FIELD = re.compile(r"turns\[(\d+)\]")
_LINE_FIELD = re.compile(r"script\.line\[(\d+)\]")


def is_script(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").partition(";")[0]
    return media_type.strip().lower() == "text/plain"


class ScriptRoute(APIRoute):
    """The submit route, taking a script as text/plain besides its JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def route(request: Request) -> Response:
            if not is_script(request):
                return await handle(request)
            # Who asks comes before what they sent, as on the JSON route: a script without a
            # key is a 401, not a 422 that has read it.
            await caller_of(request)
            script = await script_of(request)
            try:
                return await handle(as_json(request, script))
            except InvalidRequest as refused:
                raise invalid_script([named_by_line(p, script) for p in refused.problems]) from None

        return route


async def script_of(request: Request) -> Script:
    """The request's text/plain body as a script, or a 422 naming the line of each problem."""
    content_type, body = request.headers.get("content-type", ""), await request.body()
    # Off the event loop: a megabyte of one-character lines takes a second to read.
    return await run_in_threadpool(read_script, content_type, body)


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


def request_body(script: Script, query: dict[str, str]) -> dict[str, Any]:
    """The JSON request a script stands for; speakers without a "# voice" line are cast."""
    return {
        **{name: _query_value(name, query[name]) for name in QUERY_FIELDS if name in query},
        "turns": [turn.model_dump(exclude_none=True) for turn in script.turns],
        "voice_assignments": {name: {"voice": voice} for name, voice in script.voices.items()},
    }


_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def _query_value(name: str, value: str) -> str | int:
    """A query's digits as the number JSON would carry: the request's numbers are strict."""
    if name in ("sample_rate", "pause_ms") and _WHOLE_NUMBER.fullmatch(value):
        return int(value)
    return value


def as_json(request: Request, script: Script) -> Request:
    body = json.dumps(request_body(script, dict(request.query_params))).encode()
    headers = [(k, v) for k, v in request.scope["headers"] if k not in _BODY_HEADERS]
    headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await request.receive()  # after the body: only http.disconnect comes

    return Request({**request.scope, "headers": headers}, receive)


_BODY_HEADERS = (b"content-type", b"content-length", b"transfer-encoding")


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
    }
    return [
        {"name": name, "in": "query", "required": False, "schema": schema,
         "description": f"with a text/plain script: the request's {name}; JSON carries its own"}
        for name, schema in schemas.items()
    ]  # fmt: skip
