"""POST /api/v1/voices/preview: a short line in a voice, as WAV, that is never a job.

The line is the server's (contracts/voice_previews.py), so a preview is the same for every
user and is cached in the bucket under a key made of the voice and its settings. The gateway
reads that key first; only on a miss does it ask synthesis over NATS request-reply, which
speaks the line with a job's engines, stores it and answers with the key. Nothing is
published to the job stream: no history, no list, no event anywhere holds a preview.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from nats.errors import NoRespondersError, TimeoutError
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ttsjobs.contracts.job_request import FieldProblem, Reading, Speed, VoiceId
from ttsjobs.contracts.readings import is_mandarin, reading_for
from ttsjobs.contracts.strings import STORABLE
from ttsjobs.contracts.voice_previews import (
    VOICE_PREVIEW_SUBJECT,
    VoicePreviewAsked,
    VoicePreviewFailed,
    VoicePreviewStored,
    preview_speed,
    sample_line,
)
from ttsjobs.contracts.voices import VoiceInfo
from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs.storage import BucketStore
from ttsjobs_gateway.auth import CurrentCaller, authenticated
from ttsjobs_gateway.errors import InvalidRequest, ServiceError
from ttsjobs_gateway.saved_voices import resolved_voice, spelled_anywhere
from ttsjobs_gateway.state import AudioFiles, GatewaySettings, Nats, SavedVoicesPort, Voices

router = APIRouter(prefix="/api/v1/voices", tags=["voices"], dependencies=[Depends(authenticated)])
# Synthesis waits for a free engine process, as a job's turn does: behind a running job that
# can be a turn's length. One that answers late still stores the preview, for the next ask.
ANSWER_TIMEOUT_S = 20.0
# The same voice and settings always give the same audio: the browser may keep it a day.
CACHE_CONTROL = "private, max-age=86400"


class VoicePreviewUnavailable(ServiceError):
    status = 503
    kind = "voice-preview-unavailable"
    title = "No synthesis worker made the preview"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": "5"})


class VoicePreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    voice: VoiceId = Field(examples=["zf_xiaoxiao"])
    provider: Annotated[str, StringConstraints(min_length=1, max_length=32), STORABLE] | None = (
        Field(default=None, description="by default the first provider that has the voice")
    )
    speed: Speed = Field(default=1.0, description="within the voice's speed_range")
    reading: Reading | None = Field(
        default=None,
        description="Mandarin voices: taiwan says a Traditional line with Taiwan readings,"
        " mainland a Simplified one; by default as the voice's language reads",
    )


def _voice(body: VoicePreviewRequest, catalogue: CatalogueView) -> VoiceInfo:
    for name, offered in sorted(catalogue.providers.items()):
        if body.provider in (None, name) and (voice := offered.voice(body.voice)) is not None:
            return voice
    where = f"a {body.provider} voice" if body.provider else "a voice"
    blends = [c.blend_problem(body.voice) for c in catalogue.providers.values()]
    problem = next((p for p in blends if p), f"{body.voice!r} is not {where}; see /api/v1/voices")
    raise InvalidRequest([FieldProblem("voice", problem)])


def _asked(body: VoicePreviewRequest, voice: VoiceInfo) -> VoicePreviewAsked:
    low, high = voice.speed_range
    if not low <= body.speed <= high:
        raise InvalidRequest(
            [FieldProblem("speed", f"{voice.id} speaks at {low} to {high} times its pace")]
        )
    reading = None
    if is_mandarin(voice.language):
        reading = body.reading or reading_for([], wished=voice.language)
    assert voice.provider is not None  # the catalogue names each voice's provider
    return VoicePreviewAsked(
        provider=voice.provider,
        voice=body.voice,
        speed=min(max(preview_speed(body.speed), low), high),
        reading=reading,
        text=sample_line(voice.language, reading),
    )


def _wav(data: bytes) -> Response:
    return Response(data, media_type="audio/wav", headers={"Cache-Control": CACHE_CONTROL})


@router.post(
    "/preview",
    operation_id="previewVoice",
    response_class=Response,
    responses={
        200: {"content": {"audio/wav": {}}, "description": "a short line in the voice"},
        422: {"content": {"application/problem+json": {}}},
        503: {"content": {"application/problem+json": {}}},
    },
    summary="Hear a voice: a short sample line, never a job",
)
async def preview_voice(
    body: VoicePreviewRequest,
    catalogue: Voices,
    settings: GatewaySettings,
    audio: AudioFiles,
    nats: Nats,
    caller: CurrentCaller,
    saved: SavedVoicesPort,
) -> Response:
    # A saved name is heard as its formula, and a formula in its one spelling: one cached
    # preview per mixture, whoever saved it under whatever name.
    providers = dict(catalogue.providers)
    voice = await resolved_voice(body.voice, caller.user_id, saved, providers)
    body = body.model_copy(update={"voice": spelled_anywhere(voice, providers)})
    asked = _asked(body, _voice(body, catalogue))
    store = BucketStore(audio, settings.s3_bucket)
    if (cached := await store.get(asked.key)) is not None:
        return _wav(cached)
    try:
        reply = await nats.request(
            VOICE_PREVIEW_SUBJECT, asked.model_dump_json().encode(), timeout=ANSWER_TIMEOUT_S
        )
    except (NoRespondersError, TimeoutError) as err:
        raise VoicePreviewUnavailable("no synthesis worker answered; try again shortly") from err
    try:
        stored = VoicePreviewStored.model_validate_json(reply.data)
    except ValidationError:
        failed = VoicePreviewFailed.model_validate_json(reply.data)
        if failed.field is None:
            raise VoicePreviewUnavailable(failed.problem) from None
        raise InvalidRequest([FieldProblem(failed.field, failed.problem)]) from None
    data = await store.get(stored.key)
    if data is None:  # stored, then gone: a janitor or a bucket that lost it
        raise VoicePreviewUnavailable("the preview was made but could not be read back")
    return _wav(data)
