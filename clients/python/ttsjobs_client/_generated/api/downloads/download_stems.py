from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    job_id: UUID,
    *,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(range_, Unset):
        headers["Range"] = range_

    if not isinstance(if_range, Unset):
        headers["If-Range"] = if_range

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs/{job_id}/stems".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 206:
        response_206 = File(payload=BytesIO(response.content))

        return response_206

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 416:
        response_416 = Problem.from_dict(response.json())

        return response_416

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[File | Problem]:
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
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """The job's stems: a zip of one FLAC track per speaker

     Each track is as long as the job's audio, holds its speaker's turns where they sit in it and silence
    elsewhere; summed they give the audio before mastering. Only a job submitted with `stems: true` has
    them; any other is a 404.

    Args:
        job_id (UUID):
        range_ (None | str | Unset): one byte range, e.g. bytes=0-1023 (RFC 9110 §14.2)
        if_range (None | str | Unset): the ETag or Last-Modified a range was read from

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        range_=range_,
        if_range=if_range,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
) -> File | Problem | None:
    """The job's stems: a zip of one FLAC track per speaker

     Each track is as long as the job's audio, holds its speaker's turns where they sit in it and silence
    elsewhere; summed they give the audio before mastering. Only a job submitted with `stems: true` has
    them; any other is a 404.

    Args:
        job_id (UUID):
        range_ (None | str | Unset): one byte range, e.g. bytes=0-1023 (RFC 9110 §14.2)
        if_range (None | str | Unset): the ETag or Last-Modified a range was read from

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        range_=range_,
        if_range=if_range,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """The job's stems: a zip of one FLAC track per speaker

     Each track is as long as the job's audio, holds its speaker's turns where they sit in it and silence
    elsewhere; summed they give the audio before mastering. Only a job submitted with `stems: true` has
    them; any other is a 404.

    Args:
        job_id (UUID):
        range_ (None | str | Unset): one byte range, e.g. bytes=0-1023 (RFC 9110 §14.2)
        if_range (None | str | Unset): the ETag or Last-Modified a range was read from

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        range_=range_,
        if_range=if_range,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
) -> File | Problem | None:
    """The job's stems: a zip of one FLAC track per speaker

     Each track is as long as the job's audio, holds its speaker's turns where they sit in it and silence
    elsewhere; summed they give the audio before mastering. Only a job submitted with `stems: true` has
    them; any other is a 404.

    Args:
        job_id (UUID):
        range_ (None | str | Unset): one byte range, e.g. bytes=0-1023 (RFC 9110 §14.2)
        if_range (None | str | Unset): the ETag or Last-Modified a range was read from

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            range_=range_,
            if_range=if_range,
        )
    ).parsed
