from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_speech_voices_response_listspeechvoices import (
    ListSpeechVoicesResponseListspeechvoices,
)
from ...models.open_ai_error import OpenAIError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    model: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_model: None | str | Unset
    if isinstance(model, Unset):
        json_model = UNSET
    else:
        json_model = model
    params["model"] = json_model

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audio/voices",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListSpeechVoicesResponseListspeechvoices | OpenAIError | None:
    if response.status_code == 200:
        response_200 = ListSpeechVoicesResponseListspeechvoices.from_dict(
            response.json()
        )

        return response_200

    if response.status_code == 400:
        response_400 = OpenAIError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OpenAIError.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ListSpeechVoicesResponseListspeechvoices | OpenAIError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    model: None | str | Unset = UNSET,
) -> Response[ListSpeechVoicesResponseListspeechvoices | OpenAIError]:
    """The voices /v1/audio/speech takes, as Open WebUI lists them

     `{"voices": [{"id", "name"}]}`: OpenAI's names (each the operator's default voice), your saved
    voices, then every engine's voices. `model` (an engine's name) keeps that engine's voices only.

    Args:
        model (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListSpeechVoicesResponseListspeechvoices | OpenAIError]
    """

    kwargs = _get_kwargs(
        model=model,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    model: None | str | Unset = UNSET,
) -> ListSpeechVoicesResponseListspeechvoices | OpenAIError | None:
    """The voices /v1/audio/speech takes, as Open WebUI lists them

     `{"voices": [{"id", "name"}]}`: OpenAI's names (each the operator's default voice), your saved
    voices, then every engine's voices. `model` (an engine's name) keeps that engine's voices only.

    Args:
        model (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListSpeechVoicesResponseListspeechvoices | OpenAIError
    """

    return sync_detailed(
        client=client,
        model=model,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    model: None | str | Unset = UNSET,
) -> Response[ListSpeechVoicesResponseListspeechvoices | OpenAIError]:
    """The voices /v1/audio/speech takes, as Open WebUI lists them

     `{"voices": [{"id", "name"}]}`: OpenAI's names (each the operator's default voice), your saved
    voices, then every engine's voices. `model` (an engine's name) keeps that engine's voices only.

    Args:
        model (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListSpeechVoicesResponseListspeechvoices | OpenAIError]
    """

    kwargs = _get_kwargs(
        model=model,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    model: None | str | Unset = UNSET,
) -> ListSpeechVoicesResponseListspeechvoices | OpenAIError | None:
    """The voices /v1/audio/speech takes, as Open WebUI lists them

     `{"voices": [{"id", "name"}]}`: OpenAI's names (each the operator's default voice), your saved
    voices, then every engine's voices. `model` (an engine's name) keeps that engine's voices only.

    Args:
        model (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListSpeechVoicesResponseListspeechvoices | OpenAIError
    """

    return (
        await asyncio_detailed(
            client=client,
            model=model,
        )
    ).parsed
