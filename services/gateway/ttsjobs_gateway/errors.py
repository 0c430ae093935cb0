"""One error base for the gateway, rendered once as application/problem+json (RFC 9457)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ttsjobs.contracts.job_request import FieldProblem
from ttsjobs.contracts.strings import shown
from ttsjobs_gateway.allow import allowed_methods

log = structlog.get_logger()

PROBLEM_JSON = "application/problem+json"


class ServiceError(Exception):
    status = 500
    kind = "internal"
    title = "Something went wrong on our side"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


class Unauthorized(ServiceError):
    status = 401
    kind = "unauthorized"
    title = "An API key is required"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="ttsjobs"'})


class InvalidRequest(ServiceError):
    status = 422
    kind = "validation"
    title = "The request is not valid"

    def __init__(self, problems: list[FieldProblem], *, detail: str | None = None) -> None:
        super().__init__(
            detail or "; ".join(f"{p.field}: {p.reason}" for p in problems),
            errors=[{"field": p.field, "reason": p.reason} for p in problems],
        )
        self.problems = problems


class JobNotFound(ServiceError):
    status = 404
    kind = "job-not-found"
    title = "No such job"

    def __init__(self, job_id: str) -> None:
        super().__init__(f"there is no job {job_id}", job_id=job_id)


class JobNotCancellable(ServiceError):
    status = 409
    kind = "job-not-cancellable"
    title = "The job can no longer be cancelled"

    def __init__(self, job_id: str, status: str) -> None:
        super().__init__(
            f"job {job_id} is {status}; only pending or processing jobs can be cancelled",
            job_id=job_id,
            job_status=status,
        )


class AudioNotReady(ServiceError):
    status = 409
    kind = "audio-not-ready"
    title = "The job has no audio"

    def __init__(self, job_id: str, status: str) -> None:
        super().__init__(
            f"job {job_id} is {status}; audio is there once it has completed",
            job_id=job_id,
            job_status=status,
        )


class JobFileNotFound(ServiceError):
    """A completed job without the file asked for: it has no chapters, or asked for no stems."""

    status = 404
    kind = "job-file-not-found"
    title = "The job has no such file"

    def __init__(self, job_id: str, detail: str) -> None:
        super().__init__(f"job {job_id} {detail}", job_id=job_id)


class RangeNotSatisfiable(ServiceError):
    status = 416
    kind = "range-not-satisfiable"
    title = "The requested range is outside the file"

    def __init__(self, size: int) -> None:
        super().__init__(
            f"the file has {size} bytes", headers={"Content-Range": f"bytes */{size}"}, size=size
        )


class StoreUnavailable(ServiceError):
    status = 503
    kind = "store-unavailable"
    title = "The job store is not reachable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": "5"})


class NotConfirmed(ServiceError):
    """NATS did not confirm a POST or DELETE in time: the client is told to retry."""

    status = 503
    kind = "not-confirmed"
    title = "The job store did not confirm the request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": "2"})


class ProvidersUnavailable(ServiceError):
    status = 503
    kind = "providers-unavailable"
    title = "No synthesis worker has registered its voices yet"


class TooManyRequests(ServiceError):
    status = 429
    kind = "rate-limited"
    title = "Too many jobs submitted"


class PayloadTooLarge(ServiceError):
    status = 413
    kind = "body-too-large"
    title = "The request body is too large"


class DuplicateInFlight(ServiceError):
    status = 409
    kind = "idempotency-key-in-use"
    title = "A request with this Idempotency-Key is still being processed"


class KeyedJobDeleted(ServiceError):
    status = 409
    kind = "idempotency-key-job-deleted"
    title = "The job this Idempotency-Key made has been deleted"

    def __init__(self, job_id: str) -> None:
        super().__init__(
            f"job {job_id}, which this key made, was deleted; send the request with a new"
            " Idempotency-Key to make it again",
            job_id=job_id,
        )


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON

    def render(self, content: Any) -> bytes:
        # ASCII-escaped: a problem may quote what the client sent, and a lone surrogate in it
        # cannot be encoded as UTF-8; escaped, the answer is a 422, not a 500 while rendering.
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


def problem(status: int, kind: str, title: str, detail: str, instance: str, **extra: Any):
    body = {
        "type": f"urn:ttsjobs:problem:{kind}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **extra,
    }
    return ProblemResponse(body, status_code=status)


def render(exc: ServiceError, path: str) -> ProblemResponse:
    """The one way a ServiceError becomes a response, from a route or from middleware."""
    response = problem(exc.status, exc.kind, exc.title, exc.detail, path, **exc.extra)
    response.headers.update(exc.headers)
    return response


def _echoed(part: str, at_most: int = 80) -> str:
    """A name part as the client sent it, escaped, and cut short: a 100k-character key is
    named by its start, not echoed whole."""
    return shown(part if len(part) <= at_most else part[:at_most] + "…")


def _loc(error: dict[str, Any]) -> tuple[Any, ...]:
    loc = tuple(error.get("loc", ()))
    key = error.get("input")
    if loc[-1:] == ("[key]",) and isinstance(key, str):
        # A bad key as the client sent it: pydantic's loc has lost a lone surrogate in it.
        return (*loc[:-2], key, "[key]")
    return loc


def _field_name(loc: tuple[Any, ...]) -> str:
    # A bad dict key is reported at (..., key, "[key]"): the field is the key itself. Keys are
    # client text, so anything unstorable in them is shown escaped.
    parts = [p for p in loc if p not in ("body", "query", "path", "header", "[key]")]
    name = ""
    for part in parts:
        part = part if isinstance(part, int) else _echoed(str(part))
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or (loc[0] if loc else "body")


def validation_problems(errors: Sequence[Any]) -> list[FieldProblem]:
    """pydantic's errors (as FastAPI's RequestValidationError holds them, ``loc`` starting
    with "body" or "query") as problems that name the field as the client wrote it."""
    return [
        FieldProblem(
            _field_name(_loc(e)),
            ("the key: " if "[key]" in e.get("loc", ()) else "")
            + str(e.get("msg", "invalid")).removeprefix("Value error, "),
        )
        for e in errors
    ]


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError):
        return render(exc, request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # Logged with its stack here; the client gets a problem without internals.
        log.exception("request.failed", path=request.url.path)
        return problem(
            500, ServiceError.kind, ServiceError.title, "see the server log", request.url.path
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return await _service_error(request, InvalidRequest(validation_problems(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        kind = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        response = problem(
            exc.status_code, kind, str(exc.detail), str(exc.detail), request.url.path
        )
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:  # every method routed here, not only the first route's
            response.headers["Allow"] = ", ".join(
                allowed_methods(request.app.router, request.scope)
            )
        return response
