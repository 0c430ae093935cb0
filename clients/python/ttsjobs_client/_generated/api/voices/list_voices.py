from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.gender import Gender
from ...models.problem import Problem
from ...models.voice_catalogue import VoiceCatalogue
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    language: None | str | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    provider: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_language: None | str | Unset
    if isinstance(language, Unset):
        json_language = UNSET
    else:
        json_language = language
    params["language"] = json_language

    json_gender: None | str | Unset
    if isinstance(gender, Unset):
        json_gender = UNSET
    elif isinstance(gender, Gender):
        json_gender = gender.value
    else:
        json_gender = gender
    params["gender"] = json_gender

    json_provider: None | str | Unset
    if isinstance(provider, Unset):
        json_provider = UNSET
    else:
        json_provider = provider
    params["provider"] = json_provider

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/voices",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | VoiceCatalogue | None:
    if response.status_code == 200:
        response_200 = VoiceCatalogue.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[Problem | VoiceCatalogue]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    language: None | str | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    provider: None | str | Unset = UNSET,
) -> Response[Problem | VoiceCatalogue]:
    """List Voices

    Args:
        language (None | str | Unset):
        gender (Gender | None | Unset):
        provider (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VoiceCatalogue]
    """

    kwargs = _get_kwargs(
        language=language,
        gender=gender,
        provider=provider,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    language: None | str | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    provider: None | str | Unset = UNSET,
) -> Problem | VoiceCatalogue | None:
    """List Voices

    Args:
        language (None | str | Unset):
        gender (Gender | None | Unset):
        provider (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VoiceCatalogue
    """

    return sync_detailed(
        client=client,
        language=language,
        gender=gender,
        provider=provider,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    language: None | str | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    provider: None | str | Unset = UNSET,
) -> Response[Problem | VoiceCatalogue]:
    """List Voices

    Args:
        language (None | str | Unset):
        gender (Gender | None | Unset):
        provider (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VoiceCatalogue]
    """

    kwargs = _get_kwargs(
        language=language,
        gender=gender,
        provider=provider,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    language: None | str | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    provider: None | str | Unset = UNSET,
) -> Problem | VoiceCatalogue | None:
    """List Voices

    Args:
        language (None | str | Unset):
        gender (Gender | None | Unset):
        provider (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VoiceCatalogue
    """

    return (
        await asyncio_detailed(
            client=client,
            language=language,
            gender=gender,
            provider=provider,
        )
    ).parsed
