"""/api/v1/voices/mine: a user's saved voices, blends kept under a name (saved_voices.py stores
them, one bucket per user), listed, saved (PUT by name) and deleted.

A PUT is checked against the catalogue before anything is stored: the voice must be one a
provider that blends knows (a formula of its voices, or one of them), and the name must not be
a catalogue voice's id, which would win over it when a job names it. The formula is stored in
its one spelling. Every refusal is a problem naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from ttsjobs.contracts.job_request import FieldProblem, VoiceId
from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs_gateway.auth import CurrentCaller, authenticated
from ttsjobs_gateway.errors import InvalidRequest, ProvidersUnavailable
from ttsjobs_gateway.saved_voices import (
    NAME_PATTERN,
    SavedVoice,
    SavedVoiceNotFound,
    known_anywhere,
)
from ttsjobs_gateway.state import SavedVoicesPort, Voices

router = APIRouter(
    prefix="/api/v1/voices/mine", tags=["saved voices"], dependencies=[Depends(authenticated)]
)
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
EXAMPLE = "zf_xiaoxiao(2)+zf_xiaoyi(1)"

Name = Annotated[
    str,
    Path(
        pattern=NAME_PATTERN,
        max_length=40,
        description="letters of any script, digits, space, '_', '.', '-'; up to 40",
        examples=["warm narrator"],
    ),
]


class SavedVoiceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    voice: VoiceId = Field(description="a blend's formula, or one voice", examples=[EXAMPLE])
    provider: str | None = Field(
        default=None, max_length=32, description="by default the first that can blend it"
    )


class SavedVoiceView(BaseModel):
    name: str = Field(examples=["warm narrator"])
    provider: str = Field(examples=["kokoro"])
    voice: str = Field(description="the formula, in its one spelling", examples=[EXAMPLE])
    language: str | None = Field(description="BCP 47: the language it reads, of its lead voice")
    gender: str | None = Field(description="where all its voices share one")
    updated_at: str = Field(examples=["2026-12-07T06:15:00.000+00:00"])


class SavedVoiceList(BaseModel):
    voices: list[SavedVoiceView] = Field(description="by name")


def _view(saved: SavedVoice, catalogue: CatalogueView) -> SavedVoiceView:
    offered = catalogue.providers.get(saved.provider)
    voice = offered.voice(saved.voice) if offered is not None else None
    return SavedVoiceView(
        name=saved.name, provider=saved.provider, voice=saved.voice, updated_at=saved.updated_at,
        language=voice.language if voice else None, gender=voice.gender if voice else None,
    )  # fmt: skip


def _checked(
    name: str, body: SavedVoiceBody, providers: dict[str, ProviderCatalogue]
) -> tuple[str, str]:
    """The provider and the voice's one spelling, or a 422 naming the field."""
    if not providers:
        raise ProvidersUnavailable("start a synthesis worker, then try again")
    if known_anywhere(name, providers):
        raise InvalidRequest(
            [FieldProblem("name", f"{name!r} is a catalogue voice's id; choose another name")]
        )
    blending = {n: c for n, c in sorted(providers.items()) if c.blends}
    for provider, catalogue in blending.items():
        if body.provider in (None, provider) and catalogue.voice(body.voice) is not None:
            return provider, catalogue.spelled(body.voice)
    problems = [p for c in blending.values() if (p := c.blend_problem(body.voice))]
    which = ", ".join(blending) or "no provider here"
    problem = problems[0] if problems else (
        f"{body.voice!r} is not a voice of a provider that blends ({which}); a formula such as"
        f" {EXAMPLE}"
    )  # fmt: skip
    raise InvalidRequest([FieldProblem("voice", problem)])


@router.get(
    "",
    operation_id="listSavedVoices",
    response_model=SavedVoiceList,
    responses={503: _PROBLEM},
    summary="Your saved voices, by name",
)
async def list_saved_voices(
    caller: CurrentCaller, saved: SavedVoicesPort, catalogue: Voices
) -> SavedVoiceList:
    every = await saved.all(caller.user_id)
    return SavedVoiceList(voices=[_view(s, catalogue) for s in every])


@router.put(
    "/{name}",
    operation_id="putSavedVoice",
    response_model=SavedVoiceView,
    responses={201: {"model": SavedVoiceView}, **{c: _PROBLEM for c in (409, 422, 503)}},
    summary="Save a voice (a blend's formula) under a name; jobs, previews and casting take it",
)
async def put_saved_voice(
    name: Name,
    body: SavedVoiceBody,
    response: Response,
    caller: CurrentCaller,
    saved: SavedVoicesPort,
    catalogue: Voices,
) -> SavedVoiceView:
    provider, voice = _checked(name, body, dict(catalogue.providers))
    stored, created = await saved.put(caller.user_id, name, provider, voice)
    response.status_code = 201 if created else 200
    return _view(stored, catalogue)


@router.get(
    "/{name}",
    operation_id="getSavedVoice",
    response_model=SavedVoiceView,
    responses={404: _PROBLEM, 503: _PROBLEM},
    summary="One of your saved voices",
)
async def get_saved_voice(
    name: Name, caller: CurrentCaller, saved: SavedVoicesPort, catalogue: Voices
) -> SavedVoiceView:
    found = await saved.get(caller.user_id, name)
    if found is None:
        raise SavedVoiceNotFound(name)
    return _view(found, catalogue)


@router.delete(
    "/{name}",
    operation_id="deleteSavedVoice",
    status_code=204,
    response_class=Response,
    responses={404: _PROBLEM, 503: _PROBLEM},
    summary="Delete a saved voice; jobs that used it keep its formula",
)
async def delete_saved_voice(name: Name, caller: CurrentCaller, saved: SavedVoicesPort) -> Response:
    await saved.delete(caller.user_id, name)
    return Response(status_code=204)
