"""Request bodies read, parsed and validated off the event loop.

The submit routes take bodies of up to TTSJOBS_MAX_BODY_BYTES (1 MiB). FastAPI parses a JSON
body and validates it on the event loop, and while a megabyte of turns is validated no other
request of this gateway, not even /healthz, is answered. ``OffLoopRoute`` does that work in a
worker thread instead (a body of a few kilobytes stays on the loop: offload.py): after the
caller is known (a body without a key is not read), and after the counts that bound it
(``limits.dialogue_count_problems``: 40,000 turns are refused without validating one).

FastAPI is then handed a ``ValidatedRequest``, whose ``json()`` is the validated model: a
Request subclass in an APIRoute subclass is FastAPI's documented way to change what a route
reads, and pydantic takes a model instance as it is rather than validating it again. The
endpoint still declares its body model, so the OpenAPI document does not change.
"""

from __future__ import annotations

import email.message
import json
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from ttsjobs.contracts.job_request import FieldProblem, MultiRoleRequest, RequestLimits
from ttsjobs_gateway.auth import caller_of
from ttsjobs_gateway.errors import InvalidRequest, validation_problems
from ttsjobs_gateway.limits import dialogue_count_problems, replayed
from ttsjobs_gateway.offload import sized
from ttsjobs_gateway.state import ports_of

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[Request], Coroutine[Any, Any, Response]]

# What is checked on the parsed JSON, before the model validates it.
_COUNTS: dict[type[BaseModel], Callable[[Any, RequestLimits], list[FieldProblem]]] = {
    MultiRoleRequest: dialogue_count_problems
}


class ValidatedRequest(Request):
    """A request whose body has been read and validated: ``json()`` is the model, whatever
    the body was (JSON, or a script that stands for it)."""

    def __init__(self, request: Request, body: bytes, model: BaseModel) -> None:
        headers = [(k, v) for k, v in request.scope["headers"] if k != b"content-type"]
        headers.append((b"content-type", b"application/json"))
        super().__init__({**request.scope, "headers": headers}, replayed(body, request.receive))
        self.model = model

    async def json(self) -> Any:
        return self.model


def is_json(request: Request) -> bool:
    """As FastAPI decides it: application/json or application/*+json."""
    content_type = request.headers.get("content-type")
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


class OffLoopRoute(APIRoute):
    """A route whose JSON body is parsed and validated in a worker thread."""

    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()
        assert self.body_field is not None, f"{self.path} declares no body to read"
        model: type[BaseModel] = self.body_field.field_info.annotation  # type: ignore[assignment]

        async def route(request: Request) -> Response:
            if isinstance(request, ValidatedRequest) or not is_json(request):
                return await handle(request)  # read already, or not JSON: FastAPI's answer
            await caller_of(request)  # who asks comes before what they sent
            body = await request.body()
            if not body:
                return await handle(request)
            limits = ports_of(request).settings.limits
            value = await sized(len(body), validated, model, body, limits)
            return await handle(ValidatedRequest(request, body, value))

        return route


def validated(model: type[M], body: bytes, limits: RequestLimits) -> M:
    """``body`` as ``model``; else the 422 naming each problem (400 for bytes that are not
    text at all, as FastAPI answers them)."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        raise InvalidRequest([FieldProblem("body", f"not JSON: {err.msg} ({where})")]) from None
    except (ValueError, RecursionError):  # not UTF-8 (or -16, -32); nested past the stack
        raise HTTPException(400, "There was an error parsing the body") from None
    counts = _COUNTS.get(model)
    if counts is not None and (problems := counts(data, limits)):
        raise InvalidRequest(problems)
    return model_of(model, data)


def model_of(model: type[M], data: Any) -> M:
    """``data`` validated as ``model``; a 422 naming the fields as FastAPI would."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in err.errors(include_url=False)]
        raise InvalidRequest(validation_problems(errors)) from None
