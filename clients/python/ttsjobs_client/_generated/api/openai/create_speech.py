from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.open_ai_error import OpenAIError
from ...models.speech_request import SpeechRequest
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: SpeechRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/audio/speech",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | OpenAIError | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 400:
        response_400 = OpenAIError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OpenAIError.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = OpenAIError.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = OpenAIError.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = OpenAIError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = OpenAIError.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = OpenAIError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[File | OpenAIError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SpeechRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[File | OpenAIError]:
    """Speak a text, OpenAI-compatible; behind it an ordinary single_tts job

     OpenAI's `POST /v1/audio/speech`. The job is in your history, replayable and downloadable; its id is
    in the X-Ttsjobs-Job-Id header. mp3 streams (chunked) as the job's sentences finish, from its live
    segments (a job done within about a second has none: then its final file); every other format, and
    `stream: false`, is the final file once the job has completed, since the live audio is MP3 and
    decoding it again would be lossy. pcm is raw 16-bit little-endian mono at 24 kHz; aac is ADTS; opus
    is Ogg Opus. A job not started within 30 s (the queue, fairness, the pending cap) is a 503 with
    Retry-After and the job's id; the job goes on. A job that fails before any audio is sent is a 500;
    after some was sent, the body ends short.

    Args:
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (SpeechRequest): OpenAI's body. Fields OpenAI has and ttsjobs does not use
            (``instructions``) and fields
            other servers add are ignored, as OpenAI-compatible servers do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | OpenAIError]
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
    body: SpeechRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> File | OpenAIError | None:
    """Speak a text, OpenAI-compatible; behind it an ordinary single_tts job

     OpenAI's `POST /v1/audio/speech`. The job is in your history, replayable and downloadable; its id is
    in the X-Ttsjobs-Job-Id header. mp3 streams (chunked) as the job's sentences finish, from its live
    segments (a job done within about a second has none: then its final file); every other format, and
    `stream: false`, is the final file once the job has completed, since the live audio is MP3 and
    decoding it again would be lossy. pcm is raw 16-bit little-endian mono at 24 kHz; aac is ADTS; opus
    is Ogg Opus. A job not started within 30 s (the queue, fairness, the pending cap) is a 503 with
    Retry-After and the job's id; the job goes on. A job that fails before any audio is sent is a 500;
    after some was sent, the body ends short.

    Args:
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (SpeechRequest): OpenAI's body. Fields OpenAI has and ttsjobs does not use
            (``instructions``) and fields
            other servers add are ignored, as OpenAI-compatible servers do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | OpenAIError
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SpeechRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[File | OpenAIError]:
    """Speak a text, OpenAI-compatible; behind it an ordinary single_tts job

     OpenAI's `POST /v1/audio/speech`. The job is in your history, replayable and downloadable; its id is
    in the X-Ttsjobs-Job-Id header. mp3 streams (chunked) as the job's sentences finish, from its live
    segments (a job done within about a second has none: then its final file); every other format, and
    `stream: false`, is the final file once the job has completed, since the live audio is MP3 and
    decoding it again would be lossy. pcm is raw 16-bit little-endian mono at 24 kHz; aac is ADTS; opus
    is Ogg Opus. A job not started within 30 s (the queue, fairness, the pending cap) is a 503 with
    Retry-After and the job's id; the job goes on. A job that fails before any audio is sent is a 500;
    after some was sent, the body ends short.

    Args:
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (SpeechRequest): OpenAI's body. Fields OpenAI has and ttsjobs does not use
            (``instructions``) and fields
            other servers add are ignored, as OpenAI-compatible servers do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | OpenAIError]
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
    body: SpeechRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> File | OpenAIError | None:
    """Speak a text, OpenAI-compatible; behind it an ordinary single_tts job

     OpenAI's `POST /v1/audio/speech`. The job is in your history, replayable and downloadable; its id is
    in the X-Ttsjobs-Job-Id header. mp3 streams (chunked) as the job's sentences finish, from its live
    segments (a job done within about a second has none: then its final file); every other format, and
    `stream: false`, is the final file once the job has completed, since the live audio is MP3 and
    decoding it again would be lossy. pcm is raw 16-bit little-endian mono at 24 kHz; aac is ADTS; opus
    is Ogg Opus. A job not started within 30 s (the queue, fairness, the pending cap) is a 503 with
    Retry-After and the job's id; the job goes on. A job that fails before any audio is sent is a 500;
    after some was sent, the body ends short.

    Args:
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (SpeechRequest): OpenAI's body. Fields OpenAI has and ttsjobs does not use
            (``instructions``) and fields
            other servers add are ignored, as OpenAI-compatible servers do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | OpenAIError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
