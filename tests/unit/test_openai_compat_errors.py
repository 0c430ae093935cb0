"""On /v1/ every error answers in OpenAI's shape, whoever raised it (a route, the auth
dependency, the body limit); elsewhere problem+json is left alone."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from ttsjobs.contracts.job_request import FieldProblem
from ttsjobs_gateway.errors import InvalidRequest, install_problem_handlers
from ttsjobs_gateway.limits import BodyTooLarge
from ttsjobs_gateway.openai_compat.errors import JobNotStarted, OpenAIErrors, openai_error


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/v1/speech")
    async def speech() -> None:
        raise InvalidRequest([FieldProblem("text", "must not be blank")])

    @app.post("/v1/wait")
    async def wait() -> None:
        raise JobNotStarted("j1", 30)

    @app.post("/api/v1/speech")
    async def elsewhere() -> None:
        raise InvalidRequest([FieldProblem("text", "must not be blank")])

    app.add_middleware(BodyTooLarge, max_bytes=10)
    app.add_middleware(OpenAIErrors)
    return app


async def _post(path: str, body: bytes = b"{}") -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path, content=body)


async def test_a_422_is_a_400_naming_the_openai_param():
    answer = await _post("/v1/speech")
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/json"
    error = answer.json()["error"]
    assert error == {"message": "input: must not be blank", "type": "invalid_request_error",
                     "param": "input", "code": "validation"}  # fmt: skip


async def test_the_body_limits_413_and_a_503s_headers():
    too_large = await _post("/v1/speech", b"x" * 100)
    assert too_large.status_code == 413
    assert too_large.json()["error"]["code"] == "request_too_large"
    waited = await _post("/v1/wait")
    assert waited.status_code == 503 and waited.json()["error"]["type"] == "server_error"
    assert waited.headers["retry-after"] == "10" and waited.headers["x-ttsjobs-job-id"] == "j1"
    assert waited.headers["x-should-retry"] == "false"
    assert int(waited.headers["content-length"]) == len(waited.content)


async def test_other_routes_keep_problem_json():
    answer = await _post("/api/v1/speech")
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


def test_an_unauthorized_problem_is_an_invalid_api_key():
    status, body = openai_error({"type": "urn:ttsjobs:problem:unauthorized", "status": 401,
                                 "detail": "the API key is not valid"})  # fmt: skip
    assert status == 401
    assert body["error"]["code"] == "invalid_api_key" and body["error"]["param"] is None
