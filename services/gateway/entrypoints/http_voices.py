"""GET /api/v1/voices: what each provider can speak with, as the providers reported it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from ttsjobs_gateway.auth import authenticated
from ttsjobs_gateway.schemas import VoiceCatalogue
from ttsjobs_gateway.state import GatewayState, gateway_state

router = APIRouter(prefix="/api/v1", tags=["voices"], dependencies=[Depends(authenticated)])


@router.get("/voices", operation_id="listVoices", response_model=VoiceCatalogue)
async def list_voices(gw: Annotated[GatewayState, Depends(gateway_state)]) -> VoiceCatalogue:
    return VoiceCatalogue(
        providers=sorted(gw.catalogue.providers.values(), key=lambda p: p.provider)
    )
