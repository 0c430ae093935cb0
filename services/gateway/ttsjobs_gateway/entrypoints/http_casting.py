"""POST /api/v1/casting and /api/v1/casting/tts: which voice each role would get, before a job.

Each takes exactly the body its job endpoint takes and runs the same checks and the same cast
(handlers.checked_job / checked_single), so the answer is the voices the job would store, and a
body the job endpoint refuses is refused here with the same problems. Casting is a pure function
of the request and the catalogue: nothing is published and no job is made.

The answer also says how long the audio will be (contracts/duration, the estimate the duration
limit uses) and, when the engine's speed has been measured on a worker, how long rendering it
would take: the engine's real-time factor times the speech, spread over the turns the worker
runs at once, as the job's first ETA predicts it (synthesis eta.py).
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from ttsjobs.contracts.casting import Casting, cast_provider
from ttsjobs.contracts.duration import estimated_audio_ms, turns_speaking_ms
from ttsjobs.contracts.job_request import MultiRoleRequest, VoiceAssignment
from ttsjobs.contracts.single import SingleRequest
from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs_gateway import handlers
from ttsjobs_gateway.auth import CurrentCaller, authenticated
from ttsjobs_gateway.bodies import OffLoopRoute
from ttsjobs_gateway.offload import dialogue_size, sized
from ttsjobs_gateway.saved_voices import single_with_saved_voice, with_saved_voices
from ttsjobs_gateway.state import GatewaySettings, SavedVoicesPort, Voices

# Bodies are parsed off the event loop, as the job endpoints' are: a long text takes a while.
router = APIRouter(
    prefix="/api/v1/casting",
    tags=["casting"],
    dependencies=[Depends(authenticated)],
    route_class=OffLoopRoute,
)
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
_RESPONSES: dict[int | str, dict[str, Any]] = {413: _PROBLEM, 422: _PROBLEM, 503: _PROBLEM}


class CastingAnswer(BaseModel):
    provider: str = Field(examples=["kokoro"])
    voice_assignments: dict[str, VoiceAssignment] = Field(
        description="each speaker's voice as the job would store it"
    )
    warnings: list[str] = Field(description="how the cast falls short of what was wished for")
    estimated_audio_ms: int = Field(ge=0, description="the audio's expected length")
    estimated_render_ms: int | None = Field(
        ge=0, description="how long synthesis would take; null until the engine's speed is known"
    )


@router.post(
    "",
    operation_id="castDialogue",
    response_model=CastingAnswer,
    responses=_RESPONSES,
    summary="The voices a multi-role job would be cast with; makes no job",
)
async def cast_dialogue(
    request: MultiRoleRequest,
    catalogue: Voices,
    settings: GatewaySettings,
    caller: CurrentCaller,
    saved: SavedVoicesPort,
) -> CastingAnswer:
    providers = dict(catalogue.providers)
    named = await with_saved_voices(request, caller.user_id, saved, providers)
    casting = await sized(dialogue_size(request), handlers.checked_job, named, providers, settings)
    return _answer(casting, providers)


@router.post(
    "/tts",
    operation_id="castSingle",
    response_model=CastingAnswer,
    responses=_RESPONSES,
    summary="The voice a long-text job would be cast with; makes no job",
)
async def cast_single(
    request: SingleRequest,
    catalogue: Voices,
    settings: GatewaySettings,
    caller: CurrentCaller,
    saved: SavedVoicesPort,
) -> CastingAnswer:
    providers = dict(catalogue.providers)
    named = await single_with_saved_voice(request, caller.user_id, saved, providers)
    casting = await sized(len(request.text), handlers.checked_single, named, providers, settings)
    return _answer(casting, providers)


def _answer(casting: Casting, providers: dict[str, ProviderCatalogue]) -> CastingAnswer:
    cast = casting.request
    provider = cast_provider(cast)
    return CastingAnswer(
        provider=provider,
        voice_assignments=cast.voice_assignments,
        warnings=casting.warnings,
        estimated_audio_ms=estimated_audio_ms(cast, catalogue=providers.get(provider)),
        estimated_render_ms=render_ms(cast, providers.get(provider)),
    )


def render_ms(request: MultiRoleRequest, catalogue: ProviderCatalogue | None) -> int | None:
    """The time a worker would take to synthesise ``request``'s turns, from its engine's
    real-time factor; None when no worker has measured it."""
    if catalogue is None or catalogue.realtime_factor is None:
        return None
    speech_ms = sum(turns_speaking_ms(request, catalogue))
    at_once = max(1, min(catalogue.parallel_turns or 1, len(request.turns)))
    return math.ceil(catalogue.realtime_factor * speech_ms / at_once)
