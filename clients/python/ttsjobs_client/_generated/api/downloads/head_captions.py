from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.head_captions_format import HeadCaptionsFormat
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    job_id: UUID,
    *,
    format_: HeadCaptionsFormat | Unset = HeadCaptionsFormat.VTT,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "head",
        "url": "/api/v1/jobs/{job_id}/captions".format(
            job_id=quote(str(job_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: HeadCaptionsFormat | Unset = HeadCaptionsFormat.VTT,
) -> Response[Problem | str]:
    """Head Captions

    Args:
        job_id (UUID):
        format_ (HeadCaptionsFormat | Unset): vtt, srt: a cue per turn (a sentence, in a
            single_tts job). Word level, where the engine times words (409 where it does not): vtt-
            words, a cue per turn with a karaoke timestamp before each word; srt-words, a cue per
            word; alignment, JSON with every character of the text and its start and end in seconds
            (characters, character_start_times_seconds, character_end_times_seconds, as ElevenLabs
            answers) Default: HeadCaptionsFormat.VTT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: HeadCaptionsFormat | Unset = HeadCaptionsFormat.VTT,
) -> Problem | str | None:
    """Head Captions

    Args:
        job_id (UUID):
        format_ (HeadCaptionsFormat | Unset): vtt, srt: a cue per turn (a sentence, in a
            single_tts job). Word level, where the engine times words (409 where it does not): vtt-
            words, a cue per turn with a karaoke timestamp before each word; srt-words, a cue per
            word; alignment, JSON with every character of the text and its start and end in seconds
            (characters, character_start_times_seconds, character_end_times_seconds, as ElevenLabs
            answers) Default: HeadCaptionsFormat.VTT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: HeadCaptionsFormat | Unset = HeadCaptionsFormat.VTT,
) -> Response[Problem | str]:
    """Head Captions

    Args:
        job_id (UUID):
        format_ (HeadCaptionsFormat | Unset): vtt, srt: a cue per turn (a sentence, in a
            single_tts job). Word level, where the engine times words (409 where it does not): vtt-
            words, a cue per turn with a karaoke timestamp before each word; srt-words, a cue per
            word; alignment, JSON with every character of the text and its start and end in seconds
            (characters, character_start_times_seconds, character_end_times_seconds, as ElevenLabs
            answers) Default: HeadCaptionsFormat.VTT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: HeadCaptionsFormat | Unset = HeadCaptionsFormat.VTT,
) -> Problem | str | None:
    """Head Captions

    Args:
        job_id (UUID):
        format_ (HeadCaptionsFormat | Unset): vtt, srt: a cue per turn (a sentence, in a
            single_tts job). Word level, where the engine times words (409 where it does not): vtt-
            words, a cue per turn with a karaoke timestamp before each word; srt-words, a cue per
            word; alignment, JSON with every character of the text and its start and end in seconds
            (characters, character_start_times_seconds, character_end_times_seconds, as ElevenLabs
            answers) Default: HeadCaptionsFormat.VTT.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            format_=format_,
        )
    ).parsed
