"""What Client and AsyncClient share: the routes, the bodies they send, and reading answers.
No I/O here, so that the two differ only in how they wait."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import httpx

from ttsjobs_client._generated.models.job_page import JobPage
from ttsjobs_client._generated.models.job_view import JobView
from ttsjobs_client.errors import ApiError

DIALOGUE = "/api/v1/jobs/tts/multi-role"
TEXT = "/api/v1/jobs/tts"
JOBS = "/api/v1/jobs"
SCRIPT_CONTENT = {"Content-Type": "text/plain; charset=utf-8"}
# How long a submit is sent again with its Idempotency-Key while no answer comes (retrying.py).
SUBMIT_RETRY_S = 30.0


class HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


Body = Mapping[str, Any] | HasToDict


def job_path(job_id: str) -> str:
    return f"{JOBS}/{job_id}"


def json_body(body: Body, options: Mapping[str, Any]) -> dict[str, Any]:
    """A request as the API takes it: a generated model or a dict, ``options`` over it."""
    given = body.to_dict() if hasattr(body, "to_dict") else dict(body)
    return {**given, **options}


def script_bytes(path_or_text: str | os.PathLike[str]) -> bytes:
    """A path (``Path`` or any os.PathLike) is read; a ``str`` is the script itself."""
    if isinstance(path_or_text, str):
        return path_or_text.encode("utf-8")
    return Path(path_or_text).read_bytes()


def query(options: Mapping[str, Any]) -> dict[str, Any]:
    """Options as query parameters (a script's job takes its options there): None left out,
    lists repeated, booleans as the gateway reads them."""
    params: dict[str, Any] = {}
    for name, value in options.items():
        if value is None:
            continue
        params[name] = str(value).lower() if isinstance(value, bool) else value
    return params


def checked(response: httpx.Response) -> httpx.Response:
    """The answer, or ApiError when it is 400 or more (its body must have been read)."""
    if response.status_code >= 400:
        raise ApiError.of(response)
    return response


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The body of an answer that is a JSON object; ApiError when it is not one (another
    program on that port, or a proxy's error page)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ApiError(
            status=response.status_code,
            title=f"{response.url} did not answer as ttsjobs does (not a JSON object)",
        )
    return body


def job_of(response: httpx.Response) -> JobView:
    return JobView.from_dict(json_object(response))


def page_of(response: httpx.Response) -> JobPage:
    return JobPage.from_dict(json_object(response))


def list_params(
    *, limit: int, cursor: str | None, status: str | None, q: str | None, id_prefix: str | None
) -> dict[str, Any]:
    given = {"limit": limit, "cursor": cursor, "status": status, "q": q, "id_prefix": id_prefix}
    return {name: value for name, value in given.items() if value is not None}
