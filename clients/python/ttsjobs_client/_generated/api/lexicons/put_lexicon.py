from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.lexicon_summary import LexiconSummary
from ...models.problem import Problem
from ...models.put_lexicon_json_lexicon import PutLexiconJsonLexicon
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    body: PutLexiconJsonLexicon,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/lexicons/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LexiconSummary | Problem | None:
    if response.status_code == 200:
        response_200 = LexiconSummary.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = LexiconSummary.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[LexiconSummary | Problem]:
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
    body: PutLexiconJsonLexicon,
    if_match: None | str | Unset = UNSET,
) -> Response[LexiconSummary | Problem]:
    """Create or replace a lexicon, from W3C PLS 1.0 or JSON

    Args:
        name (str): letters, digits, '_', '.', '-'; up to 64; case-sensitive
        if_match (None | str | Unset): the ETag you read: the change is made only if the lexicon
            is still at it
        body (PutLexiconJsonLexicon):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LexiconSummary | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PutLexiconJsonLexicon,
    if_match: None | str | Unset = UNSET,
) -> LexiconSummary | Problem | None:
    """Create or replace a lexicon, from W3C PLS 1.0 or JSON

    Args:
        name (str): letters, digits, '_', '.', '-'; up to 64; case-sensitive
        if_match (None | str | Unset): the ETag you read: the change is made only if the lexicon
            is still at it
        body (PutLexiconJsonLexicon):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LexiconSummary | Problem
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PutLexiconJsonLexicon,
    if_match: None | str | Unset = UNSET,
) -> Response[LexiconSummary | Problem]:
    """Create or replace a lexicon, from W3C PLS 1.0 or JSON

    Args:
        name (str): letters, digits, '_', '.', '-'; up to 64; case-sensitive
        if_match (None | str | Unset): the ETag you read: the change is made only if the lexicon
            is still at it
        body (PutLexiconJsonLexicon):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LexiconSummary | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PutLexiconJsonLexicon,
    if_match: None | str | Unset = UNSET,
) -> LexiconSummary | Problem | None:
    """Create or replace a lexicon, from W3C PLS 1.0 or JSON

    Args:
        name (str): letters, digits, '_', '.', '-'; up to 64; case-sensitive
        if_match (None | str | Unset): the ETag you read: the change is made only if the lexicon
            is still at it
        body (PutLexiconJsonLexicon):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LexiconSummary | Problem
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
