"""OpenAI's ``model`` and ``voice`` as a single_tts job names them, and the speed the voice
can take.

``voice`` is tried, in order, as: a catalogue voice (an id, ``voice+variant`` or a blend), the
caller's saved voice (its formula, as the job routes resolve it: saved_voices.resolved_voice),
one of OpenAI's names (the operator's default voice for it), a wish to cast (``zh-TW``,
``zh-TW:female``). Anything else goes to the job as it is, and casting names it as unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ttsjobs.contracts.job_request import FieldProblem, Gender
from ttsjobs.contracts.single import SingleRequest
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, language_fit
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.openai_compat.request import (
    JOB_FORMATS,
    OPENAI_MODELS,
    PCM_RATE,
    ResponseFormat,
    SpeechRequest,
)
from ttsjobs_gateway.saved_voices import SavedVoices, known_anywhere, resolved_voice

_WISH = re.compile(r"^(?P<language>[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*)(:(?P<gender>female|male))?$")
ANY_SPEED = (0.25, 4.0)
TITLE_CHARS = 60


@dataclass(frozen=True)
class Speech:
    """The job a speech request runs, and how its speed was fitted to the voice."""

    single: SingleRequest
    speed_asked: float

    @property
    def clamped(self) -> bool:
        return self.single.speed != self.speed_asked


def provider_of(model: str, providers: Mapping[str, ProviderCatalogue]) -> str | None:
    """The engine ``model`` names; None for OpenAI's model names (the engine with the voice)."""
    if model in OPENAI_MODELS:
        return None
    if model in providers:
        return model
    known = ", ".join([*OPENAI_MODELS, *sorted(providers)])
    raise InvalidRequest([FieldProblem("model", f"no model {model!r}; one of {known}")])


async def speech_job(
    asked: SpeechRequest,
    *,
    user_id: str,
    saved: SavedVoices | None,
    providers: Mapping[str, ProviderCatalogue],
    openai_voices: Mapping[str, str],
) -> Speech:
    """The single_tts request ``asked`` becomes, its speed within the voice's range."""
    provider = provider_of(asked.model, providers)
    resolved = await resolved_voice(asked.voice, user_id, saved, providers)
    if not known_anywhere(resolved, providers) and resolved in openai_voices:
        # The operator's default: a voice, a saved voice's name or a wish, as a client's is.
        resolved = await resolved_voice(openai_voices[resolved], user_id, saved, providers)
    voice: str | None = resolved
    language = gender = None
    if not known_anywhere(resolved, providers):
        if (wish := _wish(resolved, provider, providers)) is not None:
            language, gender, voice = wish[0], wish[1], None
    low, high = speed_range(voice, language, gender, provider, providers)
    speed = min(max(asked.speed, low), high)
    fmt = asked.response_format
    single = SingleRequest(
        text=asked.input,
        voice=voice,
        language=language,
        gender=Gender(gender) if gender else None,
        speed=speed,
        provider=provider,
        output_format=JOB_FORMATS[fmt],
        sample_rate=PCM_RATE if fmt is ResponseFormat.pcm else None,
        title=_title(asked.input),
    )
    return Speech(single, asked.speed)


def _wish(
    voice: str, provider: str | None, providers: Mapping[str, ProviderCatalogue]
) -> tuple[str, str | None] | None:
    """``zh-TW`` or ``zh-TW:female`` as (language, gender), if some voice speaks it; else
    None: the name is left to casting, which says it knows no such voice."""
    found = _WISH.match(voice)
    if found is None:
        return None
    language, gender = found["language"], found["gender"]
    if not _fitting(language, gender, provider, providers):
        return None
    return language, gender


def _fitting(
    language: str,
    gender: str | None,
    provider: str | None,
    providers: Mapping[str, ProviderCatalogue],
) -> list[VoiceInfo]:
    return [v for name, c in sorted(providers.items()) if provider in (None, name)
            for v in c.voices if _fits(v, language, gender)]  # fmt: skip


def speed_range(
    voice: str | None,
    language: str | None,
    gender: str | None,
    provider: str | None,
    providers: Mapping[str, ProviderCatalogue],
) -> tuple[float, float]:
    """The voice's own range; for a wish, the range every voice that may be cast for it takes
    (casting picks one later); OpenAI's whole range when nothing is known."""
    catalogues = [c for name, c in sorted(providers.items()) if provider in (None, name)]
    if voice is not None:
        found = [v for c in catalogues if (v := c.voice(voice)) is not None]
        return found[0].speed_range if found else ANY_SPEED
    return _common([v for c in catalogues for v in c.voices if _fits(v, language or "", gender)])


def _fits(voice: VoiceInfo, language: str, gender: str | None) -> bool:
    return language_fit(voice.language, language) > 0 and gender in (None, voice.gender)


def _common(voices: list[VoiceInfo]) -> tuple[float, float]:
    if not voices:
        return ANY_SPEED
    low = max(v.speed_range[0] for v in voices)
    high = min(v.speed_range[1] for v in voices)
    return (low, high) if low <= high else ANY_SPEED


def _title(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1] + "…"
