"""The OpenAPI document, with every error documented as what it really is: a problem+json
body (RFC 9457), never FastAPI's default validation-error shape; every file a route sends
documented as a binary string, so generated clients hand it back as bytes; and every problem
type listed by its URN.

``openapi_document(app, providers)`` builds it from the routes and a voice catalogue: the live
one for /openapi.json, a fixed one for proto-schemas/openapi.json (ttsjobs_cli.schema_export).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs_gateway.errors import ServiceError
from ttsjobs_gateway.examples import JOB_LINKS, add_examples, request_examples

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
BINARY = {"type": "string", "format": "binary"}
# Media types that are text although not text/*; JSON ones carry their own schemas.
TEXT_TYPES = frozenset({"application/x-subrip", "application/vnd.apple.mpegurl"})

# One per resource, in the order a reader meets them; every route names one of these.
TAGS = [
    ("jobs", "Submit a dialogue, a long text or a script as a job; read, list, rename, cancel"
     " and delete jobs."),
    ("downloads", "A finished job's files: its audio, captions, chapters and stems, by GET and"
     " HEAD, with byte ranges."),
    ("live", "A running job's audio as it is made: an HLS playlist and its segments."),
    ("voices", "The voice catalogue of each provider, and a short sample of any voice."),
    ("saved voices", "Your own names for voices and blends, usable wherever a voice id is."),
    ("casting", "Which voice each role left to casting will get, and how long the audio and the"
     " work will take, before submitting."),
    ("scripts", "A script (`Alice: Hello.` lines) read into turns, with nothing submitted."),
    ("lexicons", "Your pronunciation lexicons (JSON or W3C PLS), applied to jobs that name them."),
    ("pronunciations", "How a voice will read a text, word by word, before it is synthesised."),
    ("openai", "OpenAI's audio API (/v1/audio/speech, voices, models) over ordinary jobs, for"
     " apps that already speak it; its errors come in OpenAI's shape."),
    ("operations", "Liveness, readiness and Prometheus metrics, for operators; no API key."),
]  # fmt: skip


class FieldError(BaseModel):
    field: str = Field(examples=["turns[0].text"])
    reason: str = Field(examples=["must not be blank"])


class Problem(BaseModel):
    """application/problem+json (RFC 9457); ``type`` is stable for each kind of error (the
    document's ``x-problem-types`` lists them)."""

    type: str = Field(
        description="urn:ttsjobs:problem:{kind}, one of x-problem-types",
        examples=["urn:ttsjobs:problem:validation"],
    )
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = Field(default=None, description="on 422: each bad field")


SUBMIT = "/api/v1/jobs/tts/multi-role"
# Kinds the problem handlers give to what Starlette itself refuses (errors.py), and /readyz's.
_HTTP_KINDS = [
    (400, "http-error", "The request could not be read", "Its body is not what its"
     " Content-Type says; any other refusal of HTTP itself has this type too, with its status."),
    (404, "not-found", "Not Found", "No route has this path."),
    (405, "method-not-allowed", "Method Not Allowed", "The path has no route for this method;"
     " the Allow header lists those it has."),
    (503, "not-ready", "Not ready", "/readyz: NATS, PostgreSQL or S3 is not answering; `checks`"
     " says which."),
]  # fmt: skip


def problem_types() -> list[dict[str, Any]]:
    """Every problem type the gateway answers with: each ServiceError's kind (every module
    that defines one is imported by the time routes exist), then what Starlette refuses."""
    found: dict[str, dict[str, Any]] = {}
    pending: list[type[ServiceError]] = [ServiceError]
    while pending:
        cls = pending.pop(0)
        pending += cls.__subclasses__()
        # A class's own docstring only (__doc__ is not inherited), its first paragraph.
        doc = " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())
        found.setdefault(cls.kind, _problem_type(cls.kind, cls.status, cls.title, doc))
    for status, kind, title, description in _HTTP_KINDS:
        found.setdefault(kind, _problem_type(kind, status, title, description))
    return sorted(found.values(), key=lambda k: (k["status"], k["type"]))


def _problem_type(kind: str, status: int, title: str, description: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": f"urn:ttsjobs:problem:{kind}",
        "status": status,
        "title": title,
    }
    return entry | ({"description": description} if description else {})


def install_openapi(
    app: FastAPI, *, providers: Callable[[], dict[str, ProviderCatalogue]] = dict
) -> None:
    """``providers``: the live voice catalogue, read each time the document is asked for, so
    the submit examples name voices the workers have (none until a worker has reported).
    ``app.state.fixed_catalogue``, where set, is used instead: the committed document is made
    so (ttsjobs_cli.openapi_export), through app.openapi and whatever amends it."""

    def build() -> dict[str, Any]:
        fixed = getattr(app.state, "fixed_catalogue", None)
        return openapi_document(app, providers() if fixed is None else fixed)

    # FastAPI's documented way to shape the schema is to replace app.openapi.
    app.openapi = build  # type: ignore[method-assign]


def openapi_document(app: FastAPI, providers: dict[str, ProviderCatalogue]) -> dict[str, Any]:
    """The document, its submit examples made from ``providers``."""
    schema = copy.deepcopy(_routes_document(app))
    examples = request_examples(providers)
    if examples:
        body = schema["paths"][SUBMIT]["post"]["requestBody"]["content"]["application/json"]
        body.pop("example", None)  # OpenAPI allows one or the other; these are real requests
        body["examples"] = examples
    return schema


def _routes_document(app: FastAPI) -> dict[str, Any]:
    """What does not depend on the catalogue, made once per app."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        routes=app.routes,
        tags=[{"name": name, "description": text} for name, text in TAGS],
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components["FieldError"] = FieldError.model_json_schema()
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    kinds = problem_types()
    components["Problem"]["properties"]["type"]["examples"] = [k["type"] for k in kinds]
    schema["x-problem-types"] = kinds
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            _document_responses(operation)
    add_examples(schema)
    schema["paths"][SUBMIT]["post"]["responses"]["202"]["links"] = JOB_LINKS
    app.openapi_schema = schema
    return schema


def _document_responses(operation: dict[str, Any]) -> None:
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
            continue
        for media_type, content in response.get("content", {}).items():
            if "schema" not in content or not content["schema"]:
                content["schema"] = file_schema(media_type)
    # A range of a file is the same file's bytes.
    whole = responses.get("200", {}).get("content")
    partial = responses.get("206")
    if whole and partial is not None and "content" not in partial:
        partial["content"] = copy.deepcopy(whole)


def file_schema(media_type: str) -> dict[str, Any]:
    """What a route that sends a file of this type documents: text as a string, anything
    else (audio, a zip) as bytes."""
    if media_type.startswith("text/") or media_type in TEXT_TYPES:
        return {"type": "string"}
    if "json" in media_type:  # application/json+chapters too
        return {"type": "object"}
    return dict(BINARY)
