from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_lexicon_format_type_0 import GetLexiconFormatType0
from ...models.lexicon_document import LexiconDocument
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    format_: GetLexiconFormatType0 | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: None | str | Unset
    if isinstance(format_, Unset):
        json_format_ = UNSET
    elif isinstance(format_, GetLexiconFormatType0):
        json_format_ = format_.value
    else:
        json_format_ = format_
    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/lexicons/{name}".format(
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LexiconDocument | Problem | None:
    if response.status_code == 200:
        response_200 = LexiconDocument.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[LexiconDocument | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    format_: GetLexiconFormatType0 | None | Unset = UNSET,
) -> Response[LexiconDocument | Problem]:
    """A lexicon as JSON, or as W3C PLS (Accept: application/pls+xml or ?format=pls)

    Args:
        name (str): letters, digits, '_', '.', '-'; up to 64; case-sensitive
        format_ (GetLexiconFormatType0 | None | Unset): a download of the lexicon alone, as W3C
            PLS or as JSON, either of which PUT takes back; without it, as Accept asks (JSON with name
            and updated_at)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LexiconDocument | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    format_: GetLexiconFormatType0 | None | Unset = UNSET,
) -> LexiconDocument | Problem | None:
    """A lexicon as JSON, or as W3C PLS (Accept: application/pls+xml or ?format=pls)

    Args:
        name (str): letters, digits, '_', '.', '-'; up to 64; case-sensitive
        format_ (GetLexiconFormatType0 | None | Unset): a download of the lexicon alone, as W3C
            PLS or as JSON, either of which PUT takes back; without it, as Accept asks (JSON with name
            and updated_at)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LexiconDocument | Problem
    """

    return sync_detailed(
        name=name,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    format_: GetLexiconFormatType0 | None | Unset = UNSET,
) -> Response[LexiconDocument | Problem]:
    """A lexicon as JSON, or as W3C PLS (Accept: application/pls+xml or ?format=pls)

    Args:
        name (str): letters, digits, '_', '.', '-'; up to 64; case-sensitive
        format_ (GetLexiconFormatType0 | None | Unset): a download of the lexicon alone, as W3C
            PLS or as JSON, either of which PUT takes back; without it, as Accept asks (JSON with name
            and updated_at)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LexiconDocument | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    format_: GetLexiconFormatType0 | None | Unset = UNSET,
) -> LexiconDocument | Problem | None:
    """A lexicon as JSON, or as W3C PLS (Accept: application/pls+xml or ?format=pls)

    Args:
        name (str): letters, digits, '_', '.', '-'; up to 64; case-sensitive
        format_ (GetLexiconFormatType0 | None | Unset): a download of the lexicon alone, as W3C
            PLS or as JSON, either of which PUT takes back; without it, as Accept asks (JSON with name
            and updated_at)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LexiconDocument | Problem
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            format_=format_,
        )
    ).parsed
