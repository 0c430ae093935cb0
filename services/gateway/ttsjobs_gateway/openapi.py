"""The OpenAPI document, with every error documented as what it really is: a problem+json
body (RFC 9457), never FastAPI's default validation-error shape."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs_gateway.examples import JOB_LINKS, request_examples

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


class FieldError(BaseModel):
    field: str = Field(examples=["turns[0].text"])
    reason: str = Field(examples=["must not be blank"])


class Problem(BaseModel):
    """application/problem+json (RFC 9457); ``type`` is stable for each kind of error."""

    type: str = Field(examples=["urn:ttsjobs:problem:validation"])
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = Field(default=None, description="on 422: each bad field")


SUBMIT = "/api/v1/jobs/tts/multi-role"


def install_openapi(
    app: FastAPI, *, providers: Callable[[], dict[str, ProviderCatalogue]] = dict
) -> None:
    """``providers``: the live voice catalogue, read each time the document is asked for, so
    the submit examples name voices the workers have (none until a worker has reported)."""

    def build() -> dict[str, Any]:
        schema = copy.deepcopy(_static())
        examples = request_examples(providers())
        if examples:
            body = schema["paths"][SUBMIT]["post"]["requestBody"]["content"]["application/json"]
            body["examples"] = examples
        return schema

    def _static() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components["FieldError"] = FieldError.model_json_schema()
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                if operation.get("security"):
                    responses.setdefault("401", {"description": "no API key, or not a valid one"})
                if "requestBody" in operation:
                    responses.setdefault("400", {"description": "the body could not be read"})
                    responses.setdefault("413", {"description": "the body is too large"})
                for code, response in responses.items():
                    if code.startswith(("4", "5")):
                        response["content"] = {"application/problem+json": {"schema": PROBLEM_REF}}
                        response.setdefault("description", "a problem")
        schema["paths"][SUBMIT]["post"]["responses"]["202"]["links"] = JOB_LINKS
        app.openapi_schema = schema
        return schema

    # FastAPI's documented way to shape the schema is to replace app.openapi.
    app.openapi = build  # type: ignore[method-assign]
