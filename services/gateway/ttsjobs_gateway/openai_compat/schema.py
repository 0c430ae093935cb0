"""The ``/v1/`` routes in the app: OpenAI's error shape on their answers (errors.py) and in
the OpenAPI document, where the gateway documents every other error as problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

from ttsjobs_gateway.openai_compat.errors import PREFIX, TYPES, OpenAIErrors

ERROR_REF = {"$ref": "#/components/schemas/OpenAIError"}
_EXAMPLES: dict[str, tuple[str, str | None, str | None]] = {  # message, param, code
    "400": ("speed: Input should be less than or equal to 4", "speed", "validation"),
    "401": ("the API key is not valid, or it has been revoked", None, "invalid_api_key"),
    "404": ("there is no job 0b6f…", None, "job-not-found"),
    "413": ("at most 1048576 bytes", None, "request_too_large"),
    "429": ("at most 120 jobs a minute; try again in 1 s", None, "rate_limit_exceeded"),
    "500": ("job 0b6f… failed: the engine stopped", None, "job-failed"),
    "503": ("job 0b6f… has not started within 30 s (other jobs are ahead of it)", None,
            "job-not-started"),
}  # fmt: skip


class OpenAIErrorDetail(BaseModel):
    message: str = Field(examples=["speed: Input should be less than or equal to 4"])
    type: str = Field(examples=["invalid_request_error"])
    param: str | None = Field(default=None, examples=["speed"])
    code: str | None = Field(default=None, examples=["validation"])


class OpenAIError(BaseModel):
    """OpenAI's error body, as its clients read it."""

    error: OpenAIErrorDetail


def install_openai_compat(app: FastAPI) -> None:
    """Call after the body limit's middleware is added, so that its 413 is rewritten too, and
    after install_openapi, whose document this amends."""
    app.add_middleware(OpenAIErrors)
    built = app.openapi

    def build() -> dict[str, Any]:
        schema = built()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        if "OpenAIError" not in components:
            components["OpenAIError"] = OpenAIError.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            components.update(components["OpenAIError"].pop("$defs", {}))
        for path, item in schema.get("paths", {}).items():
            if path.startswith(PREFIX):
                _openai_errors(item)
        return schema

    app.openapi = build  # type: ignore[method-assign]


def _openai_errors(path_item: dict[str, Any]) -> None:
    for operation in path_item.values():
        responses = operation.get("responses", {})
        if responses.pop("422", None) is not None:  # answered as OpenAI's 400
            responses.setdefault("400", {"description": "a parameter is not valid"})
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                message, param, kind = _EXAMPLES.get(code, ("error", None, None))
                type_ = TYPES.get(int(code), "server_error")
                example = {"error": {"message": message, "type": type_, "param": param,
                                     "code": kind}}  # fmt: skip
                response["content"] = {"application/json": {"schema": ERROR_REF,
                                                            "example": example}}  # fmt: skip
