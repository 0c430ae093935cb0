from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.download_chapters_format import DownloadChaptersFormat
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    job_id: UUID,
    *,
    format_: DownloadChaptersFormat | Unset = DownloadChaptersFormat.VTT,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs/{job_id}/chapters".format(
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
    format_: DownloadChaptersFormat | Unset = DownloadChaptersFormat.VTT,
) -> Response[Problem | str]:
    """The job's chapters, as WebVTT chapter cues or Podcasting 2.0 JSON

     A chapter starts at each turn with a `chapter` (a script's `## title` line) and ends where the next
    starts. MP3 and M4A files carry the same chapters (ID3 CHAP/CTOC, MP4 chapters). A completed job
    without chapters is a 404.

    Args:
        job_id (UUID):
        format_ (DownloadChaptersFormat | Unset): vtt: WebVTT chapter cues; json: Podcasting 2.0
            JSON chapters Default: DownloadChaptersFormat.VTT.

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
    format_: DownloadChaptersFormat | Unset = DownloadChaptersFormat.VTT,
) -> Problem | str | None:
    """The job's chapters, as WebVTT chapter cues or Podcasting 2.0 JSON

     A chapter starts at each turn with a `chapter` (a script's `## title` line) and ends where the next
    starts. MP3 and M4A files carry the same chapters (ID3 CHAP/CTOC, MP4 chapters). A completed job
    without chapters is a 404.

    Args:
        job_id (UUID):
        format_ (DownloadChaptersFormat | Unset): vtt: WebVTT chapter cues; json: Podcasting 2.0
            JSON chapters Default: DownloadChaptersFormat.VTT.

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
    format_: DownloadChaptersFormat | Unset = DownloadChaptersFormat.VTT,
) -> Response[Problem | str]:
    """The job's chapters, as WebVTT chapter cues or Podcasting 2.0 JSON

     A chapter starts at each turn with a `chapter` (a script's `## title` line) and ends where the next
    starts. MP3 and M4A files carry the same chapters (ID3 CHAP/CTOC, MP4 chapters). A completed job
    without chapters is a 404.

    Args:
        job_id (UUID):
        format_ (DownloadChaptersFormat | Unset): vtt: WebVTT chapter cues; json: Podcasting 2.0
            JSON chapters Default: DownloadChaptersFormat.VTT.

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
    format_: DownloadChaptersFormat | Unset = DownloadChaptersFormat.VTT,
) -> Problem | str | None:
    """The job's chapters, as WebVTT chapter cues or Podcasting 2.0 JSON

     A chapter starts at each turn with a `chapter` (a script's `## title` line) and ends where the next
    starts. MP3 and M4A files carry the same chapters (ID3 CHAP/CTOC, MP4 chapters). A completed job
    without chapters is a 404.

    Args:
        job_id (UUID):
        format_ (DownloadChaptersFormat | Unset): vtt: WebVTT chapter cues; json: Podcasting 2.0
            JSON chapters Default: DownloadChaptersFormat.VTT.

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
