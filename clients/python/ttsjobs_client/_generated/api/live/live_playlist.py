from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    job_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs/{job_id}/live.m3u8".format(
            job_id=quote(str(job_id), safe=""),
        ),
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
) -> Response[Problem | str]:
    """Listen while the job renders: a growing HLS playlist

     The job's finished beginning, as an HLS EVENT playlist of MP3 segments (mono, 24 kHz at most), each
    finished turn with its pause before it, in order: levelled but not yet mastered. A turn longer than
    the target duration (6 s, the same from the first version on) comes in several segments of about
    equal length. Ask again to see it grow; EXT-X-ENDLIST once the job has ended. The segments are one
    continuous MP3 stream cut at frame boundaries, so appended one after another they play without gaps.
    A job that has not finished a turn yet lists none.

    Args:
        job_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | str | None:
    """Listen while the job renders: a growing HLS playlist

     The job's finished beginning, as an HLS EVENT playlist of MP3 segments (mono, 24 kHz at most), each
    finished turn with its pause before it, in order: levelled but not yet mastered. A turn longer than
    the target duration (6 s, the same from the first version on) comes in several segments of about
    equal length. Ask again to see it grow; EXT-X-ENDLIST once the job has ended. The segments are one
    continuous MP3 stream cut at frame boundaries, so appended one after another they play without gaps.
    A job that has not finished a turn yet lists none.

    Args:
        job_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | str]:
    """Listen while the job renders: a growing HLS playlist

     The job's finished beginning, as an HLS EVENT playlist of MP3 segments (mono, 24 kHz at most), each
    finished turn with its pause before it, in order: levelled but not yet mastered. A turn longer than
    the target duration (6 s, the same from the first version on) comes in several segments of about
    equal length. Ask again to see it grow; EXT-X-ENDLIST once the job has ended. The segments are one
    continuous MP3 stream cut at frame boundaries, so appended one after another they play without gaps.
    A job that has not finished a turn yet lists none.

    Args:
        job_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | str | None:
    """Listen while the job renders: a growing HLS playlist

     The job's finished beginning, as an HLS EVENT playlist of MP3 segments (mono, 24 kHz at most), each
    finished turn with its pause before it, in order: levelled but not yet mastered. A turn longer than
    the target duration (6 s, the same from the first version on) comes in several segments of about
    equal length. Ask again to see it grow; EXT-X-ENDLIST once the job has ended. The segments are one
    continuous MP3 stream cut at frame boundaries, so appended one after another they play without gaps.
    A job that has not finished a turn yet lists none.

    Args:
        job_id (UUID):

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
        )
    ).parsed
