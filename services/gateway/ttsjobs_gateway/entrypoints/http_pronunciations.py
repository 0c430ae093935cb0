"""/api/v1/pronunciations (being built for issue 30)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ttsjobs_gateway.auth import authenticated

router = APIRouter(prefix="/api/v1/pronunciations", tags=["pronunciations"], dependencies=[Depends(authenticated)])
