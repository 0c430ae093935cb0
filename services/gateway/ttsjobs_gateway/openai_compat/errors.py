"""Every error on ``/v1/`` in OpenAI's shape, ``{"error": {"message", "type", "param",
"code"}}``, from the one place errors become answers: ``OpenAIErrors`` rewrites the gateway's
problem+json (errors.py, the body limit's 413 and the auth 401 included) on those paths, so the
rest of the gateway keeps raising its own errors. A 422 becomes OpenAI's 400, its ``param`` the
field as the OpenAI request names it."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ttsjobs_gateway.errors import PROBLEM_JSON, ServiceError

PREFIX = "/v1/"
# The job's field names as the OpenAI request spells them.
PARAMS = {"text": "input", "output_format": "response_format", "provider": "model"}
TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
}
_CODES = {401: "invalid_api_key", 413: "request_too_large", 429: "rate_limit_exceeded"}


def _about_job(job_id: str, *, retry_after_s: int | None = None) -> dict[str, str]:
    """An answer about a job that goes on: its id, and no retry by the official client (which
    would make a second job)."""
    headers = {"X-Ttsjobs-Job-Id": job_id, "x-should-retry": "false"}
    if retry_after_s is not None:
        headers["Retry-After"] = str(retry_after_s)
    return headers


class JobNotStarted(ServiceError):
    """The job waited longer than the answer may: a retry would make a second job, so the
    official client is told not to retry by itself (x-should-retry)."""

    status = 503
    kind = "job-not-started"
    title = "The job has not started yet"

    def __init__(self, job_id: str, waited_s: float) -> None:
        super().__init__(
            f"job {job_id} has not started within {waited_s:g} s (other jobs are ahead of it);"
            f" it goes on: GET /api/v1/jobs/{job_id}, then its audio",
            headers=_about_job(job_id, retry_after_s=10),
            job_id=job_id,
        )


class AnswerTimedOut(ServiceError):
    status = 503
    kind = "job-too-slow"
    title = "The job's audio did not come in time"

    def __init__(self, job_id: str, waited_s: float) -> None:
        super().__init__(
            f"job {job_id} has no audio after {waited_s:g} s; it goes on:"
            f" GET /api/v1/jobs/{job_id}, then its audio",
            headers=_about_job(job_id, retry_after_s=30),
            job_id=job_id,
        )


class JobEndedWithoutAudio(ServiceError):
    status = 500
    kind = "job-failed"
    title = "The job ended without audio"

    def __init__(self, job_id: str, status: str, reason: str | None) -> None:
        super().__init__(
            f"job {job_id} {status}" + (f": {reason}" if reason else ""),
            headers=_about_job(job_id),
            job_id=job_id,
        )


def openai_param(field: str) -> str:
    head, dot, rest = field.partition(".")
    return PARAMS.get(head, head) + dot + rest


def openai_error(problem: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A problem+json body as OpenAI's status and error body."""
    status = int(problem.get("status", 500))
    status = 400 if status == 422 else status
    errors = problem.get("errors") or []
    param = openai_param(str(errors[0].get("field"))) if errors else None
    message = str(problem.get("detail") or problem.get("title") or "error")
    if errors:
        message = "; ".join(f"{openai_param(str(e['field']))}: {e['reason']}" for e in errors)
    kind = str(problem.get("type", "")).rsplit(":", 1)[-1] or None
    error = {
        "message": message,
        "type": TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error"),
        "param": param,
        "code": _CODES.get(status, kind),
    }
    return status, {"error": error}


class OpenAIErrors:
    """ASGI middleware: a problem+json answer on ``/v1/`` goes out in OpenAI's shape."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def send_rewritten(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                if headers.get("content-type", "").startswith(PROBLEM_JSON):
                    held.append(message)
                    return
            elif held and message["type"] == "http.response.body":
                held.append(message)
                if not message.get("more_body", False):
                    await _send_openai(held, send)
                return
            await send(message)

        await self.app(scope, receive, send_rewritten)


async def _send_openai(held: list[Message], send: Send) -> None:
    start, body = held[0], b"".join(m.get("body", b"") for m in held[1:])
    status, error = openai_error(json.loads(body))
    data = json.dumps(error, ensure_ascii=True).encode()
    headers = MutableHeaders(raw=list(start.get("headers", [])))
    headers["content-type"] = "application/json"
    headers["content-length"] = str(len(data))
    await send({"type": "http.response.start", "status": status, "headers": headers.raw})
    await send({"type": "http.response.body", "body": data})
