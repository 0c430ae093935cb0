from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_page import JobPage
from ...models.job_status import JobStatus
from ...models.job_type import JobType
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    status: JobStatus | None | Unset = UNSET,
    job_type: JobType | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    id_prefix: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, JobStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_job_type: None | str | Unset
    if isinstance(job_type, Unset):
        json_job_type = UNSET
    elif isinstance(job_type, JobType):
        json_job_type = job_type.value
    else:
        json_job_type = job_type
    params["job_type"] = json_job_type

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_id_prefix: None | str | Unset
    if isinstance(id_prefix, Unset):
        json_id_prefix = UNSET
    else:
        json_id_prefix = id_prefix
    params["id_prefix"] = json_id_prefix

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JobPage | Problem | None:
    if response.status_code == 200:
        response_200 = JobPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[JobPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    status: JobStatus | None | Unset = UNSET,
    job_type: JobType | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    id_prefix: None | str | Unset = UNSET,
) -> Response[JobPage | Problem]:
    """List Jobs

    Args:
        limit (int | Unset):  Default: 20.
        status (JobStatus | None | Unset):
        job_type (JobType | None | Unset):
        cursor (None | str | Unset):
        q (None | str | Unset): only jobs whose title or turn texts hold this text (case-
            insensitive for Latin letters; % and _ are taken literally)
        id_prefix (None | str | Unset): only jobs whose id starts so: 1 to 32 hex digits, dashes
            allowed (as a short id is typed: a0c5, a0c5e1f2-3b)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        status=status,
        job_type=job_type,
        cursor=cursor,
        q=q,
        id_prefix=id_prefix,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    status: JobStatus | None | Unset = UNSET,
    job_type: JobType | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    id_prefix: None | str | Unset = UNSET,
) -> JobPage | Problem | None:
    """List Jobs

    Args:
        limit (int | Unset):  Default: 20.
        status (JobStatus | None | Unset):
        job_type (JobType | None | Unset):
        cursor (None | str | Unset):
        q (None | str | Unset): only jobs whose title or turn texts hold this text (case-
            insensitive for Latin letters; % and _ are taken literally)
        id_prefix (None | str | Unset): only jobs whose id starts so: 1 to 32 hex digits, dashes
            allowed (as a short id is typed: a0c5, a0c5e1f2-3b)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobPage | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        status=status,
        job_type=job_type,
        cursor=cursor,
        q=q,
        id_prefix=id_prefix,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    status: JobStatus | None | Unset = UNSET,
    job_type: JobType | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    id_prefix: None | str | Unset = UNSET,
) -> Response[JobPage | Problem]:
    """List Jobs

    Args:
        limit (int | Unset):  Default: 20.
        status (JobStatus | None | Unset):
        job_type (JobType | None | Unset):
        cursor (None | str | Unset):
        q (None | str | Unset): only jobs whose title or turn texts hold this text (case-
            insensitive for Latin letters; % and _ are taken literally)
        id_prefix (None | str | Unset): only jobs whose id starts so: 1 to 32 hex digits, dashes
            allowed (as a short id is typed: a0c5, a0c5e1f2-3b)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        status=status,
        job_type=job_type,
        cursor=cursor,
        q=q,
        id_prefix=id_prefix,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    status: JobStatus | None | Unset = UNSET,
    job_type: JobType | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    id_prefix: None | str | Unset = UNSET,
) -> JobPage | Problem | None:
    """List Jobs

    Args:
        limit (int | Unset):  Default: 20.
        status (JobStatus | None | Unset):
        job_type (JobType | None | Unset):
        cursor (None | str | Unset):
        q (None | str | Unset): only jobs whose title or turn texts hold this text (case-
            insensitive for Latin letters; % and _ are taken literally)
        id_prefix (None | str | Unset): only jobs whose id starts so: 1 to 32 hex digits, dashes
            allowed (as a short id is typed: a0c5, a0c5e1f2-3b)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            status=status,
            job_type=job_type,
            cursor=cursor,
            q=q,
            id_prefix=id_prefix,
        )
    ).parsed
