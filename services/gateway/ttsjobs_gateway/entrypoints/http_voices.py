"""GET /api/v1/voices: what each provider can speak with, as the providers reported it,
filtered by language (a BCP 47 prefix: ``zh`` takes ``zh-CN``), gender and provider.

The caller's saved voices (/api/v1/voices/mine) follow their provider's own voices, each with
its name as its id and the formula it stands for (``formula``): a job, a preview or a cast
names them as it names any voice. After, not before: a client that takes a provider's first
voices as its defaults keeps the provider's best."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ttsjobs.contracts.job_request import Gender
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_gateway.auth import CurrentCaller, authenticated
from ttsjobs_gateway.saved_voices import SavedVoice
from ttsjobs_gateway.schemas import VoiceCatalogue
from ttsjobs_gateway.state import SavedVoicesPort, Voices

router = APIRouter(prefix="/api/v1", tags=["voices"], dependencies=[Depends(authenticated)])


@router.get(
    "/voices",
    operation_id="listVoices",
    response_model=VoiceCatalogue,
    responses={503: {"content": {"application/problem+json": {}}}},  # saved voices unread
)
async def list_voices(
    catalogue: Voices,
    language: Annotated[
        str | None,
        Query(max_length=35, pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", examples=["zh"]),
    ] = None,
    gender: Gender | None = None,
    provider: Annotated[str | None, Query(max_length=32)] = None,
    *,
    caller: CurrentCaller,
    saved: SavedVoicesPort,
) -> VoiceCatalogue:
    mine = await saved.all(caller.user_id)
    listed = []
    for name, offered in sorted(catalogue.providers.items()):
        if provider is not None and name != provider:
            continue
        offered = with_saved(offered, [s for s in mine if s.provider == name])
        voices = offered.matching(language=language, gender=gender.value if gender else None)
        if voices:
            listed.append(offered.model_copy(update={"voices": voices}))
    return VoiceCatalogue(providers=listed)


def with_saved(offered: ProviderCatalogue, mine: list[SavedVoice]) -> ProviderCatalogue:
    """The catalogue with the saved voices it can still speak after its own, by their names."""
    saved: list[VoiceInfo] = []
    for voice in mine:
        info = offered.voice(voice.voice)
        if info is not None:  # a voice the provider no longer has is left out, not failed
            update = {"id": voice.name, "name": voice.name, "names": {}, "formula": voice.voice}
            saved.append(info.model_copy(update=update))
    if not saved:
        return offered
    return offered.model_copy(update={"voices": offered.voices + saved})
