from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_view import JobView
from ...models.problem import Problem
from ...models.single_request import SingleRequest
from ...models.submit_single_job_gender import SubmitSingleJobGender
from ...models.submit_single_job_mastering import SubmitSingleJobMastering
from ...models.submit_single_job_output_format import SubmitSingleJobOutputFormat
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: SingleRequest,
    title: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    output_format: SubmitSingleJobOutputFormat | Unset = UNSET,
    sample_rate: int | Unset = UNSET,
    pause_ms: int | Unset = UNSET,
    callback_url: str | Unset = UNSET,
    lexicons: list[str] | Unset = UNSET,
    mastering: SubmitSingleJobMastering | Unset = UNSET,
    bitrate_kbps: int | Unset = UNSET,
    stems: bool | Unset = UNSET,
    voice: str | Unset = UNSET,
    language: str | Unset = UNSET,
    gender: SubmitSingleJobGender | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["title"] = title

    params["provider"] = provider

    json_output_format: str | Unset = UNSET
    if not isinstance(output_format, Unset):
        json_output_format = output_format.value

    params["output_format"] = json_output_format

    params["sample_rate"] = sample_rate

    params["pause_ms"] = pause_ms

    params["callback_url"] = callback_url

    json_lexicons: list[str] | Unset = UNSET
    if not isinstance(lexicons, Unset):
        json_lexicons = lexicons

    params["lexicons"] = json_lexicons

    json_mastering: str | Unset = UNSET
    if not isinstance(mastering, Unset):
        json_mastering = mastering.value

    params["mastering"] = json_mastering

    params["bitrate_kbps"] = bitrate_kbps

    params["stems"] = stems

    params["voice"] = voice

    params["language"] = language

    json_gender: str | Unset = UNSET
    if not isinstance(gender, Unset):
        json_gender = gender.value

    params["gender"] = json_gender

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/jobs/tts",
        "params": params,
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
    body: SingleRequest,
    title: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    output_format: SubmitSingleJobOutputFormat | Unset = UNSET,
    sample_rate: int | Unset = UNSET,
    pause_ms: int | Unset = UNSET,
    callback_url: str | Unset = UNSET,
    lexicons: list[str] | Unset = UNSET,
    mastering: SubmitSingleJobMastering | Unset = UNSET,
    bitrate_kbps: int | Unset = UNSET,
    stems: bool | Unset = UNSET,
    voice: str | Unset = UNSET,
    language: str | Unset = UNSET,
    gender: SubmitSingleJobGender | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[JobView | Problem]:
    """Submit a long text for one voice (single_tts); answers at once with the pending job

     Up to 100,000 characters, split at sentence boundaries (see the README); each sentence is
    synthesised like a turn, so progress and captions count sentences. As `application/ssml+xml`: an
    SSML `<speak>` document (Polly's, Azure's, Google's or W3C SSML 1.1), whose `<voice>`s become roles
    (a catalogue voice id is used as it is; a vendor's name is cast by its language and gender),
    `<break>`, `<s>` and `<p>` pauses, `<prosody>` a turn's speed, volume and pitch, `<lang>` its
    language, `<sub>`, `<phoneme>` and `<say-as>` how one place is said, `<mark>` a named point in the
    word timing. What it cannot read keeps its text and is listed in the job's `warnings`. The request's
    other fields are in the query (`output_format`, `provider`, `mastering`, `title`…), and `voice`,
    `language`, `gender` cast the text outside any `<voice>`. See the README, SSML. A document with
    several voices is run as a multi-role job: its `job_type` says so.

    Args:
        title (str | Unset):
        provider (str | Unset):
        output_format (SubmitSingleJobOutputFormat | Unset):
        sample_rate (int | Unset):
        pause_ms (int | Unset):
        callback_url (str | Unset):
        lexicons (list[str] | Unset):
        mastering (SubmitSingleJobMastering | Unset):
        bitrate_kbps (int | Unset):
        stems (bool | Unset):
        voice (str | Unset):
        language (str | Unset):
        gender (SubmitSingleJobGender | Unset):
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (SingleRequest): A long text read by one voice; a voice id, or a wish (language,
            gender) to cast from.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        title=title,
        provider=provider,
        output_format=output_format,
        sample_rate=sample_rate,
        pause_ms=pause_ms,
        callback_url=callback_url,
        lexicons=lexicons,
        mastering=mastering,
        bitrate_kbps=bitrate_kbps,
        stems=stems,
        voice=voice,
        language=language,
        gender=gender,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SingleRequest,
    title: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    output_format: SubmitSingleJobOutputFormat | Unset = UNSET,
    sample_rate: int | Unset = UNSET,
    pause_ms: int | Unset = UNSET,
    callback_url: str | Unset = UNSET,
    lexicons: list[str] | Unset = UNSET,
    mastering: SubmitSingleJobMastering | Unset = UNSET,
    bitrate_kbps: int | Unset = UNSET,
    stems: bool | Unset = UNSET,
    voice: str | Unset = UNSET,
    language: str | Unset = UNSET,
    gender: SubmitSingleJobGender | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> JobView | Problem | None:
    """Submit a long text for one voice (single_tts); answers at once with the pending job

     Up to 100,000 characters, split at sentence boundaries (see the README); each sentence is
    synthesised like a turn, so progress and captions count sentences. As `application/ssml+xml`: an
    SSML `<speak>` document (Polly's, Azure's, Google's or W3C SSML 1.1), whose `<voice>`s become roles
    (a catalogue voice id is used as it is; a vendor's name is cast by its language and gender),
    `<break>`, `<s>` and `<p>` pauses, `<prosody>` a turn's speed, volume and pitch, `<lang>` its
    language, `<sub>`, `<phoneme>` and `<say-as>` how one place is said, `<mark>` a named point in the
    word timing. What it cannot read keeps its text and is listed in the job's `warnings`. The request's
    other fields are in the query (`output_format`, `provider`, `mastering`, `title`…), and `voice`,
    `language`, `gender` cast the text outside any `<voice>`. See the README, SSML. A document with
    several voices is run as a multi-role job: its `job_type` says so.

    Args:
        title (str | Unset):
        provider (str | Unset):
        output_format (SubmitSingleJobOutputFormat | Unset):
        sample_rate (int | Unset):
        pause_ms (int | Unset):
        callback_url (str | Unset):
        lexicons (list[str] | Unset):
        mastering (SubmitSingleJobMastering | Unset):
        bitrate_kbps (int | Unset):
        stems (bool | Unset):
        voice (str | Unset):
        language (str | Unset):
        gender (SubmitSingleJobGender | Unset):
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (SingleRequest): A long text read by one voice; a voice id, or a wish (language,
            gender) to cast from.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobView | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        title=title,
        provider=provider,
        output_format=output_format,
        sample_rate=sample_rate,
        pause_ms=pause_ms,
        callback_url=callback_url,
        lexicons=lexicons,
        mastering=mastering,
        bitrate_kbps=bitrate_kbps,
        stems=stems,
        voice=voice,
        language=language,
        gender=gender,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SingleRequest,
    title: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    output_format: SubmitSingleJobOutputFormat | Unset = UNSET,
    sample_rate: int | Unset = UNSET,
    pause_ms: int | Unset = UNSET,
    callback_url: str | Unset = UNSET,
    lexicons: list[str] | Unset = UNSET,
    mastering: SubmitSingleJobMastering | Unset = UNSET,
    bitrate_kbps: int | Unset = UNSET,
    stems: bool | Unset = UNSET,
    voice: str | Unset = UNSET,
    language: str | Unset = UNSET,
    gender: SubmitSingleJobGender | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[JobView | Problem]:
    """Submit a long text for one voice (single_tts); answers at once with the pending job

     Up to 100,000 characters, split at sentence boundaries (see the README); each sentence is
    synthesised like a turn, so progress and captions count sentences. As `application/ssml+xml`: an
    SSML `<speak>` document (Polly's, Azure's, Google's or W3C SSML 1.1), whose `<voice>`s become roles
    (a catalogue voice id is used as it is; a vendor's name is cast by its language and gender),
    `<break>`, `<s>` and `<p>` pauses, `<prosody>` a turn's speed, volume and pitch, `<lang>` its
    language, `<sub>`, `<phoneme>` and `<say-as>` how one place is said, `<mark>` a named point in the
    word timing. What it cannot read keeps its text and is listed in the job's `warnings`. The request's
    other fields are in the query (`output_format`, `provider`, `mastering`, `title`…), and `voice`,
    `language`, `gender` cast the text outside any `<voice>`. See the README, SSML. A document with
    several voices is run as a multi-role job: its `job_type` says so.

    Args:
        title (str | Unset):
        provider (str | Unset):
        output_format (SubmitSingleJobOutputFormat | Unset):
        sample_rate (int | Unset):
        pause_ms (int | Unset):
        callback_url (str | Unset):
        lexicons (list[str] | Unset):
        mastering (SubmitSingleJobMastering | Unset):
        bitrate_kbps (int | Unset):
        stems (bool | Unset):
        voice (str | Unset):
        language (str | Unset):
        gender (SubmitSingleJobGender | Unset):
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (SingleRequest): A long text read by one voice; a voice id, or a wish (language,
            gender) to cast from.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        title=title,
        provider=provider,
        output_format=output_format,
        sample_rate=sample_rate,
        pause_ms=pause_ms,
        callback_url=callback_url,
        lexicons=lexicons,
        mastering=mastering,
        bitrate_kbps=bitrate_kbps,
        stems=stems,
        voice=voice,
        language=language,
        gender=gender,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SingleRequest,
    title: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    output_format: SubmitSingleJobOutputFormat | Unset = UNSET,
    sample_rate: int | Unset = UNSET,
    pause_ms: int | Unset = UNSET,
    callback_url: str | Unset = UNSET,
    lexicons: list[str] | Unset = UNSET,
    mastering: SubmitSingleJobMastering | Unset = UNSET,
    bitrate_kbps: int | Unset = UNSET,
    stems: bool | Unset = UNSET,
    voice: str | Unset = UNSET,
    language: str | Unset = UNSET,
    gender: SubmitSingleJobGender | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> JobView | Problem | None:
    """Submit a long text for one voice (single_tts); answers at once with the pending job

     Up to 100,000 characters, split at sentence boundaries (see the README); each sentence is
    synthesised like a turn, so progress and captions count sentences. As `application/ssml+xml`: an
    SSML `<speak>` document (Polly's, Azure's, Google's or W3C SSML 1.1), whose `<voice>`s become roles
    (a catalogue voice id is used as it is; a vendor's name is cast by its language and gender),
    `<break>`, `<s>` and `<p>` pauses, `<prosody>` a turn's speed, volume and pitch, `<lang>` its
    language, `<sub>`, `<phoneme>` and `<say-as>` how one place is said, `<mark>` a named point in the
    word timing. What it cannot read keeps its text and is listed in the job's `warnings`. The request's
    other fields are in the query (`output_format`, `provider`, `mastering`, `title`…), and `voice`,
    `language`, `gender` cast the text outside any `<voice>`. See the README, SSML. A document with
    several voices is run as a multi-role job: its `job_type` says so.

    Args:
        title (str | Unset):
        provider (str | Unset):
        output_format (SubmitSingleJobOutputFormat | Unset):
        sample_rate (int | Unset):
        pause_ms (int | Unset):
        callback_url (str | Unset):
        lexicons (list[str] | Unset):
        mastering (SubmitSingleJobMastering | Unset):
        bitrate_kbps (int | Unset):
        stems (bool | Unset):
        voice (str | Unset):
        language (str | Unset):
        gender (SubmitSingleJobGender | Unset):
        idempotency_key (None | str | Unset): repeat a request safely: the same key and body give
            the same job
        body (SingleRequest): A long text read by one voice; a voice id, or a wish (language,
            gender) to cast from.

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
            title=title,
            provider=provider,
            output_format=output_format,
            sample_rate=sample_rate,
            pause_ms=pause_ms,
            callback_url=callback_url,
            lexicons=lexicons,
            mastering=mastering,
            bitrate_kbps=bitrate_kbps,
            stems=stems,
            voice=voice,
            language=language,
            gender=gender,
            idempotency_key=idempotency_key,
        )
    ).parsed
