"""Casting: every speaker of a request gets a voice, and whether those voices can do the job.

A speaker may name a voice, wish for one (``{"language": "zh-TW", "gender": "female"}``), or be
left out of ``voice_assignments``. ``cast`` turns the request into one that names a provider
and a voice for every speaker, which is what the job stores, so that "run again" makes the same
audio. It is a pure function of the request and the catalogue: the same request always casts
the same voices. No two speakers share a voice while the catalogue has enough; a speaker with
no gender wish gets the gender the job has fewer of, so a dialogue sounds like several people.

``voice_problems`` says what a cast request asks of its voices that they cannot do (unknown
voice, pitch on a voice without it, a speed out of range, text in a script the voice's language
cannot read). The gateway answers these with a 422; synthesis checks again, since events can
come from anywhere on the bus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from ttsjobs.contracts.job_request import FieldProblem, MultiRoleRequest, VoiceAssignment
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, language_fit
from ttsjobs.contracts.writing import script_problem

# Without a provider in the request, the first of these that can cast every speaker is used.
PROVIDER_PREFERENCE = ("kokoro", "piper", "espeak")
_LISTED_AT_MOST = 20


def _ordered(providers: Mapping[str, ProviderCatalogue]) -> list[str]:
    known = [p for p in PROVIDER_PREFERENCE if p in providers]
    return known + sorted(p for p in providers if p not in PROVIDER_PREFERENCE)


def _guessed_language(request: MultiRoleRequest, speaker: str) -> str:
    """For a speaker with no language wish: Mandarin if their lines are in Han characters."""
    texts = " ".join(t.text for t in request.turns if t.speaker == speaker)
    return "zh" if script_problem(texts, "en") else "en"


def _unknown_voice(catalogue: ProviderCatalogue, voice: str) -> str:
    ids = [v.id for v in catalogue.voices]
    shown = ", ".join(ids[:_LISTED_AT_MOST])
    more = (
        f" and {len(ids) - _LISTED_AT_MOST} more (GET /api/v1/voices)"
        if len(ids) > _LISTED_AT_MOST
        else ""
    )
    return f"unknown {catalogue.provider} voice {voice!r}; valid: {shown}{more}"


def _pick(
    candidates: list[VoiceInfo], used: Counter[str], genders: Counter[str | None]
) -> VoiceInfo:
    # Catalogue order is the provider's order of preference; sorted() keeps it among equals.
    return min(candidates, key=lambda v: (used[v.id], genders[v.gender]))


def _cast_into(
    request: MultiRoleRequest, catalogue: ProviderCatalogue
) -> tuple[dict[str, VoiceAssignment], list[FieldProblem]]:
    assignments = request.voice_assignments
    used: Counter[str] = Counter()
    genders: Counter[str | None] = Counter()
    problems: list[FieldProblem] = []
    for assignment in assignments.values():
        if assignment.voice is not None and (voice := catalogue.voice(assignment.voice)):
            used[voice.id] += 1
            genders[voice.gender] += 1
    cast: dict[str, VoiceAssignment] = {}
    for speaker in request.speakers():
        wish = assignments.get(speaker) or VoiceAssignment()
        if wish.voice is not None:
            if catalogue.voice(wish.voice) is None:
                field = f"voice_assignments.{speaker}.voice"
                problems.append(FieldProblem(field, _unknown_voice(catalogue, wish.voice)))
            cast[speaker] = wish
            continue
        language = wish.language or _guessed_language(request, speaker)
        gender = wish.gender.value if wish.gender else None
        exact = catalogue.matching(language=language, gender=gender)
        candidates = exact or [
            v for v in catalogue.matching(gender=gender) if language_fit(v.language, language) == 1
        ]
        if not candidates:
            wanted = " ".join(filter(None, [gender, language]))
            problems.append(
                FieldProblem(
                    f"voice_assignments.{speaker}",
                    f"no {catalogue.provider} voice is {wanted}; see GET /api/v1/voices",
                )
            )
            continue
        chosen = _pick(candidates, used, genders)
        used[chosen.id] += 1
        genders[chosen.gender] += 1
        cast[speaker] = wish.model_copy(
            update={"voice": chosen.id, "language": None, "gender": None}
        )
    return cast, problems


def cast(
    request: MultiRoleRequest, providers: Mapping[str, ProviderCatalogue]
) -> tuple[MultiRoleRequest, list[FieldProblem]]:
    """The request with a provider and a voice for every speaker, or the problems in the way."""
    if request.provider is not None:
        catalogue = providers.get(request.provider)
        if catalogue is None:
            valid = ", ".join(sorted(providers))
            return request, [
                FieldProblem("provider", f"unknown provider {request.provider!r}; valid: {valid}")
            ]
        names = [request.provider]
    else:
        names = _ordered(providers)
    first_problems: list[FieldProblem] | None = None
    for name in names:
        voices, problems = _cast_into(request, providers[name])
        if not problems:
            resolved = request.model_copy(update={"provider": name, "voice_assignments": voices})
            return resolved, voice_problems(resolved, providers[name])
        first_problems = first_problems if first_problems is not None else problems
    return request, first_problems or []


class NotCast(ValueError):
    """A request used as cast (JobCreated's: the gateway casts before it publishes) that names
    no provider, or no voice for a speaker."""


def cast_provider(request: MultiRoleRequest) -> str:
    """The provider a cast request names."""
    if request.provider is None:
        raise NotCast("the request names no provider")
    return request.provider


def cast_voice(assignment: VoiceAssignment) -> str:
    """The voice a cast request's assignment names."""
    if assignment.voice is None:
        raise NotCast("a speaker has no voice")
    return assignment.voice


def voice_problems(request: MultiRoleRequest, catalogue: ProviderCatalogue) -> list[FieldProblem]:
    """What a cast request asks of its voices that they cannot do."""
    problems: list[FieldProblem] = []
    voices: dict[str, VoiceInfo] = {}
    for speaker, assignment in request.voice_assignments.items():
        field = f"voice_assignments.{speaker}"
        voice = catalogue.voice(assignment.voice or "")
        if voice is None:
            problems.append(
                FieldProblem(f"{field}.voice", _unknown_voice(catalogue, str(assignment.voice)))
            )
            continue
        voices[speaker] = voice
        if assignment.pitch != 1.0 and "pitch" not in voice.settings:
            problems.append(
                FieldProblem(
                    f"{field}.pitch",
                    f"{catalogue.provider} voices do not support pitch; leave it at 1.0",
                )
            )
        low, high = voice.speed_range
        if not low <= assignment.speed <= high:
            problems.append(
                FieldProblem(f"{field}.speed", f"{voice.id} speaks at {low}-{high}x of its pace")
            )
    for i, turn in enumerate(request.turns):
        voice = voices.get(turn.speaker)
        if voice is not None and (problem := script_problem(turn.text, voice.language)):
            problems.append(FieldProblem(f"turns[{i}].text", f"{problem} ({voice.id})"))
    return problems
