"""GET /api/v1/voices: what each provider can speak with, as the providers reported it,
filtered by language (a BCP 47 prefix: ``zh`` takes ``zh-CN``), gender and provider."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ttsjobs.contracts.job_request import Gender
from ttsjobs_gateway.auth import authenticated
from ttsjobs_gateway.schemas import VoiceCatalogue
from ttsjobs_gateway.state import Voices

router = APIRouter(prefix="/api/v1", tags=["voices"], dependencies=[Depends(authenticated)])


@router.get("/voices", operation_id="listVoices", response_model=VoiceCatalogue)
async def list_voices(
    catalogue: Voices,
    language: Annotated[
        str | None,
        Query(max_length=35, pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", examples=["zh"]),
    ] = None,
    gender: Gender | None = None,
    provider: Annotated[str | None, Query(max_length=32)] = None,
) -> VoiceCatalogue:
    listed = []
    for name, offered in sorted(catalogue.providers.items()):
        if provider is not None and name != provider:
            continue
        voices = offered.matching(language=language, gender=gender.value if gender else None)
        if voices:
            listed.append(offered.model_copy(update={"voices": voices}))
    return VoiceCatalogue(providers=listed)
