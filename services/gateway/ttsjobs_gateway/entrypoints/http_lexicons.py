"""/api/v1/lexicons: a user's pronunciation lexicons, uploaded as W3C PLS or our JSON, read and
exported in either form, replaced and deleted (stored by lexicon_store, one bucket per user).

A PUT's body is read after the caller is known, refused past LEXICON_MAX_BYTES (PLS: four
times that, see PLS_MAX_BYTES) before it is parsed, and parsed off the event loop once it is
more than a few kilobytes (offload.py).
Every refusal is a problem naming the field, and nothing is stored.
"""

from __future__ import annotations

import email.message
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, Field

from ttsjobs.contracts.job_request import FieldProblem
from ttsjobs.contracts.lexicon import LEXICON_MAX_BYTES, Alphabet, Lexicon, LexiconEntry
from ttsjobs.lexicons.json_form import export_json, parse_json
from ttsjobs.lexicons.pls import export_pls, parse_pls
from ttsjobs.lexicons.problems import LexiconProblem
from ttsjobs_gateway.auth import CurrentCaller, authenticated
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.lexicon_errors import (
    JSON,
    PLS,
    LexiconNotFound,
    LexiconTooLarge,
    UnsupportedLexiconType,
)
from ttsjobs_gateway.lexicon_store import LexiconStore, Stored, etag_of, revision_in
from ttsjobs_gateway.offload import sized
from ttsjobs_gateway.state import Lexicons

router = APIRouter(
    prefix="/api/v1/lexicons", tags=["lexicons"], dependencies=[Depends(authenticated)]
)

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
_PARSERS = {"pls+xml": parse_pls, "xml": parse_pls, "json": parse_json}
# PLS says in markup what the stored JSON says in a few bytes: a lexicon stored near the cap
# exports to PLS at about 1.6 times its size. Such an export must upload again, so a PLS body
# may be larger; what is stored is still held to LEXICON_MAX_BYTES.
PLS_MAX_BYTES = 4 * LEXICON_MAX_BYTES
_SENT_MAX_BYTES = {"pls+xml": PLS_MAX_BYTES, "xml": PLS_MAX_BYTES, "json": LEXICON_MAX_BYTES}

Name = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
        max_length=64,
        description="letters, digits, '_', '.', '-'; up to 64; case-sensitive",
        examples=["taiwan-brands"],
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=100,
        description="the ETag you read: the change is made only if the lexicon is still at it",
    ),
]


class LexiconSummary(BaseModel):
    name: str = Field(examples=["taiwan-brands"])
    language: str | None = Field(examples=["zh-TW"])
    alphabet: Alphabet
    entry_count: int
    size_bytes: int = Field(description="as stored")
    updated_at: str = Field(examples=["2026-12-06T20:15:00.000+00:00"])


class LexiconList(BaseModel):
    lexicons: list[LexiconSummary] = Field(description="by name")


class LexiconDocument(BaseModel):
    """A lexicon as GET answers it; ``?format=json`` gives it without name and updated_at,
    as PUT takes it."""

    # name and updated_at are left out of a ?format=json download, and language when unset.
    name: str | None = None
    language: str | None = None
    alphabet: Alphabet
    entries: list[LexiconEntry]
    updated_at: str | None = None


def _subtype(content_type: str | None) -> str | None:
    """'pls+xml', 'xml' or 'json' for the types a lexicon comes in; else None."""
    if not content_type:
        return None
    message = email.message.Message()
    message["content-type"] = content_type
    main, sub = message.get_content_maintype(), message.get_content_subtype()
    if (main == "application" and sub in _PARSERS) or (main, sub) == ("text", "xml"):
        return sub
    return None


def _parsed(body: bytes, content_type: str | None) -> Lexicon:
    subtype = _subtype(content_type)
    if subtype is None:
        raise UnsupportedLexiconType(content_type)
    limit = _SENT_MAX_BYTES[subtype]
    if len(body) > limit:
        raise LexiconTooLarge(len(body), "as sent", limit)
    try:
        return _PARSERS[subtype](body, max_bytes=limit)
    except LexiconProblem as problem:
        raise InvalidRequest([FieldProblem(problem.field, problem.message)]) from None


def _upload_schema() -> dict[str, Any]:
    # Its parts (LexiconEntry, Alphabet) are in the document's components through GET's model.
    schema = Lexicon.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return schema


_BODY = {
    "required": True,
    "content": {
        JSON: {"schema": _upload_schema()},
        PLS: {"schema": {"type": "string", "description": "W3C PLS 1.0"}},
    },
}


@router.put(
    "/{name}",
    operation_id="putLexicon",
    response_model=LexiconSummary,
    status_code=200,
    responses={
        200: {"description": "replaced"},
        201: {"description": "created", "model": LexiconSummary},
        **{code: _PROBLEM for code in (409, 412, 413, 415, 422, 503)},
    },
    summary="Create or replace a lexicon, from W3C PLS 1.0 or JSON",
    openapi_extra={"requestBody": _BODY},
)
async def put_lexicon(
    name: Name,
    request: Request,
    response: Response,
    caller: CurrentCaller,
    lexicons: Lexicons,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    content_type = request.headers.get("content-type")
    if _subtype(content_type) is None:  # refused before the body is read
        raise UnsupportedLexiconType(content_type)
    body = await request.body()
    lexicon = await sized(len(body), _parsed, body, content_type)
    stored, created = await lexicons.put(
        caller.user_id, name, lexicon, if_match=revision_in(if_match)
    )
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag_of(stored.revision)
    if created:
        response.headers["Location"] = f"/api/v1/lexicons/{name}"
    return await sized(len(stored.value), stored.summary)


@router.get(
    "",
    operation_id="listLexicons",
    response_model=LexiconList,
    responses={503: _PROBLEM},
    summary="Your lexicons, by name",
)
async def list_lexicons(caller: CurrentCaller, lexicons: Lexicons) -> dict[str, Any]:
    every = await lexicons.all(caller.user_id)
    size = sum(len(s.value) for s in every)
    return {"lexicons": await sized(size, lambda: [s.summary() for s in every])}


async def _found(store: LexiconStore, user_id: str, name: str) -> Stored:
    stored = await store.get(user_id, name)
    if stored is None:
        raise LexiconNotFound(name)
    return stored


@router.get(
    "/{name}",
    operation_id="getLexicon",
    response_model=LexiconDocument,
    responses={
        200: {"content": {PLS: {"schema": {"type": "string"}}}},
        **{code: _PROBLEM for code in (404, 422, 503)},
    },
    summary="A lexicon as JSON, or as W3C PLS (Accept: application/pls+xml or ?format=pls)",
)
async def get_lexicon(
    name: Name,
    caller: CurrentCaller,
    lexicons: Lexicons,
    format: Annotated[
        Literal["json", "pls"] | None,
        Query(
            description="a download of the lexicon alone, as W3C PLS or as JSON, either of which"
            " PUT takes back; without it, as Accept asks (JSON with name and updated_at)"
        ),
    ] = None,
    accept: Annotated[str | None, Header(max_length=1000, include_in_schema=False)] = None,
) -> Response:
    stored = await _found(lexicons, caller.user_id, name)
    as_pls = format == "pls" or (format is None and PLS in (accept or ""))
    headers = {"ETag": etag_of(stored.revision), "Cache-Control": "no-cache"}
    if as_pls or format == "json":
        # A download: the lexicon alone, in the form a PUT takes back (no name, no time).
        export, suffix, media_type = (
            (export_pls, "pls", PLS) if as_pls else (export_json, "json", JSON)
        )
        content = await sized(len(stored.value), lambda: export(stored.lexicon()))
        headers["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
        return Response(content, media_type=media_type, headers=headers)
    # Stored as GET answers it: sent as it is, without parsing it again.
    return Response(stored.value, media_type=JSON, headers=headers)


@router.delete(
    "/{name}",
    operation_id="deleteLexicon",
    status_code=204,
    response_class=Response,
    responses={404: _PROBLEM, 412: _PROBLEM, 422: _PROBLEM, 503: _PROBLEM},
    summary="Delete a lexicon; jobs that used it keep the entries they used",
)
async def delete_lexicon(
    name: Name, caller: CurrentCaller, lexicons: Lexicons, if_match: IfMatch = None
) -> Response:
    await lexicons.delete(caller.user_id, name, if_match=revision_in(if_match))
    return Response(status_code=204)
