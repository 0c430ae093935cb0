from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_view import JobView
from ...models.problem import Problem
from ...models.script_job_request import ScriptJobRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ScriptJobRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/jobs/tts/script",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JobView | Problem | None:
    if response.status_code == 202:
        response_202 = JobView.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[JobView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ScriptJobRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[JobView | Problem]:
    """Submit a script with the job's options as JSON; answers at once with the pending job

     The job a text/plain script POSTed to /api/v1/jobs/tts/multi-role makes, for clients that send JSON
    only. Speakers without a `# voice` line are cast; the script's first `# …` line is the title unless
    `title` is given.

    Args:
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (ScriptJobRequest): A script and the options of the job it makes (as MultiRoleRequest
            has them).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ScriptJobRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> JobView | Problem | None:
    """Submit a script with the job's options as JSON; answers at once with the pending job

     The job a text/plain script POSTed to /api/v1/jobs/tts/multi-role makes, for clients that send JSON
    only. Speakers without a `# voice` line are cast; the script's first `# …` line is the title unless
    `title` is given.

    Args:
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (ScriptJobRequest): A script and the options of the job it makes (as MultiRoleRequest
            has them).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobView | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ScriptJobRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[JobView | Problem]:
    """Submit a script with the job's options as JSON; answers at once with the pending job

     The job a text/plain script POSTed to /api/v1/jobs/tts/multi-role makes, for clients that send JSON
    only. Speakers without a `# voice` line are cast; the script's first `# …` line is the title unless
    `title` is given.

    Args:
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (ScriptJobRequest): A script and the options of the job it makes (as MultiRoleRequest
            has them).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ScriptJobRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> JobView | Problem | None:
    """Submit a script with the job's options as JSON; answers at once with the pending job

     The job a text/plain script POSTed to /api/v1/jobs/tts/multi-role makes, for clients that send JSON
    only. Speakers without a `# voice` line are cast; the script's first `# …` line is the title unless
    `title` is given.

    Args:
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (ScriptJobRequest): A script and the options of the job it makes (as MultiRoleRequest
            has them).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
