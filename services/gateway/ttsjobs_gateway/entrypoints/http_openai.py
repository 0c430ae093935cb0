"""OpenAI's audio API, for apps that speak it (Open WebUI, LibreChat, SillyTavern, scripts on
the official client): ``POST /v1/audio/speech`` submits an ordinary single_tts job through the
job routes' own submission (idempotency, limits, the pending cap, the user's history) and
answers with its audio (openai_compat/answer.py); ``GET /v1/audio/voices`` and
``GET /v1/models`` list what it takes. Same Bearer keys; every error in OpenAI's shape
(openai_compat/errors.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs_gateway import handlers
from ttsjobs_gateway.auth import CurrentCaller, authenticated
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.entrypoints.http_jobs import Submitting
from ttsjobs_gateway.errors import InvalidRequest, ServiceError, validation_problems
from ttsjobs_gateway.openai_compat.answer import SpeechAnswer
from ttsjobs_gateway.openai_compat.request import (
    CONTENT_TYPES,
    OPENAI_MODELS,
    ResponseFormat,
    SpeechRequest,
)
from ttsjobs_gateway.openai_compat.voices import Speech, speech_job
from ttsjobs_gateway.saved_voices import SavedVoices
from ttsjobs_gateway.state import AudioFiles, Feeds, GatewaySettings, SavedVoicesPort, Voices

router = APIRouter(prefix="/v1", tags=["openai"], dependencies=[Depends(authenticated)])

JOB_ID_HEADER = "X-Ttsjobs-Job-Id"
_ERROR = {
    "content": {
        "application/json": {
            "example": {
                "error": {
                    "message": "speed: Input should be less than or equal to 4",
                    "type": "invalid_request_error",
                    "param": "speed",
                    "code": "validation",
                }
            },
        }
    },
    "description": "OpenAI's error shape",
}
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_JOB_HEADERS = {
    JOB_ID_HEADER: {"description": "the job behind the answer", "schema": {"type": "string"}},
    "X-Ttsjobs-Speed": {"description": "the speed the job runs at", "schema": {"type": "number"}},
    "X-Ttsjobs-Speed-Clamped": {
        "description": "present when the speed asked for is outside the voice's range: that"
        " speed; the job runs at X-Ttsjobs-Speed",
        "schema": {"type": "number"},
    },
}


@router.post(
    "/audio/speech",
    operation_id="createSpeech",
    summary="Speak a text, OpenAI-compatible; behind it an ordinary single_tts job",
    description="OpenAI's `POST /v1/audio/speech`. The job is in your history, replayable and"
    " downloadable; its id is in the X-Ttsjobs-Job-Id header. mp3 streams (chunked) as the"
    " job's sentences finish, from its live segments (a job done within about a second has"
    " none: then its final file); every other format, and `stream: false`, is the final file"
    " once the job has completed, since the live audio is MP3 and decoding it again would be"
    " lossy. pcm is raw 16-bit little-endian mono at 24 kHz; aac is ADTS; opus is Ogg Opus."
    " A job not started within 30 s (the queue, fairness, the pending cap) is a 503 with"
    " Retry-After and the job's id; the job goes on. A job that fails before any audio is"
    " sent is a 500; after some was sent, the body ends short.",
    response_class=Response,
    responses={
        200: {
            "description": "the audio",
            "headers": _JOB_HEADERS,
            "content": {media: _BINARY for media in sorted(set(CONTENT_TYPES.values()))},
        },
        **{code: _ERROR for code in (400, 401, 404, 413, 429, 500, 503)},
    },
)
async def create_speech(
    asked: SpeechRequest,
    caller: CurrentCaller,
    submitting: Submitting,
    catalogue: Voices,
    saved: SavedVoicesPort,
    feeds: Feeds,
    audio: AudioFiles,
    settings: GatewaySettings,
) -> Response:
    speech = await _speech(asked, caller.user_id, catalogue, saved, settings)
    view = await submitting.accept(handlers.submit_single_job, speech.single, Response())
    state = await submitting.reads.current(view.id, caller.user_id)
    headers = _headers(view.id, speech)
    answer = SpeechAnswer(
        state, fmt=asked.response_format, reads=submitting.reads, feeds=feeds, s3=audio,
        bucket=settings.s3_bucket, start_wait_s=settings.openai_start_wait_s,
        deadline_s=settings.openai_answer_deadline_s,
    )  # fmt: skip
    media_type = CONTENT_TYPES[asked.response_format]
    try:
        await answer.started()
        if not asked.stream:
            data = await answer.whole()
            answer.close()
            return Response(data, media_type=media_type, headers=headers)
        live = asked.response_format is ResponseFormat.mp3
        body = await answer.begin(live=live)
    except BaseException as err:
        answer.close()
        if isinstance(err, ServiceError):  # the job exists, whatever went wrong after
            err.headers.setdefault(JOB_ID_HEADER, view.id)
        raise
    return StreamingResponse(body, media_type=media_type, headers=headers)


async def _speech(
    asked: SpeechRequest,
    user_id: str,
    catalogue: CatalogueView,
    saved: SavedVoices,
    settings: Settings,
) -> Speech:
    try:
        return await speech_job(
            asked, user_id=user_id, saved=saved, providers=dict(catalogue.providers),
            openai_voices=settings.openai_voices,
        )  # fmt: skip
    except ValidationError as err:  # what the single_tts request checks of the text and voice
        raise InvalidRequest(validation_problems(err.errors(include_url=False))) from None


def _headers(job_id: str, speech: Speech) -> dict[str, str]:
    headers = {JOB_ID_HEADER: job_id, "X-Ttsjobs-Speed": f"{speech.single.speed:g}",
               "Location": f"/api/v1/jobs/{job_id}", "Cache-Control": "no-store"}  # fmt: skip
    if speech.clamped:
        headers["X-Ttsjobs-Speed-Clamped"] = f"{speech.speed_asked:g}"
    return headers


@router.get(
    "/audio/voices",
    operation_id="listSpeechVoices",
    summary="The voices /v1/audio/speech takes, as Open WebUI lists them",
    description='`{"voices": [{"id", "name"}]}`: OpenAI\'s names (each the operator\'s'
    " default voice), your saved voices, then every engine's voices. `model` (an engine's"
    " name) keeps that engine's voices only.",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "voices": [
                            {"id": "alloy", "name": "alloy → af_alloy"},
                            {
                                "id": "zf_xiaoxiao",
                                "name": "Xiaoxiao · kokoro · zh-CN",
                                "provider": "kokoro",
                                "language": "zh-CN",
                                "gender": "female",
                            },
                        ]
                    }
                }
            }
        },
        401: _ERROR,
    },
)
async def list_speech_voices(
    caller: CurrentCaller,
    catalogue: Voices,
    saved: SavedVoicesPort,
    settings: GatewaySettings,
    model: Annotated[str | None, Query(max_length=64, examples=["kokoro"])] = None,
) -> dict[str, list[dict[str, Any]]]:
    providers = catalogue.providers
    engine = model if model in providers else None
    voices: list[dict[str, Any]] = []
    if engine is None:
        voices += [{"id": name, "name": f"{name} → {voice}"}
                   for name, voice in settings.openai_voices.items()]  # fmt: skip
    voices += [
        {"id": mine.name, "name": f"{mine.name} ({mine.voice})", "provider": mine.provider}
        for mine in await saved.all(caller.user_id)
        if engine in (None, mine.provider)
    ]
    for name, offered in sorted(providers.items()):
        if engine in (None, name):
            voices += [
                {"id": v.id, "name": f"{v.name} · {name} · {v.language}", "provider": name,
                 "language": v.language, "gender": v.gender}
                for v in offered.voices
            ]  # fmt: skip
    return {"voices": voices}


@router.get(
    "/models",
    operation_id="listModels",
    summary="The models /v1/audio/speech takes, in OpenAI's list shape",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "object": "list",
                        "data": [
                            {"id": "tts-1", "object": "model", "created": 0, "owned_by": "ttsjobs"},
                            {
                                "id": "kokoro",
                                "object": "model",
                                "created": 0,
                                "owned_by": "ttsjobs",
                            },
                        ],
                    }
                }
            }
        },
        401: _ERROR,
    },
)
async def list_models(catalogue: Voices) -> dict[str, Any]:
    names = [*OPENAI_MODELS, *sorted(catalogue.providers)]
    return {
        "object": "list",
        "data": [{"id": n, "object": "model", "created": 0, "owned_by": "ttsjobs"} for n in names],
    }
