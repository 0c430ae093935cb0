"""Casting: every speaker of a request gets a voice, and whether those voices can do the job.

A speaker may name a voice, wish for one (``{"language": "zh-TW", "gender": "female"}``), or be
left out of ``voice_assignments``. ``cast`` turns the request into one that names a provider
and a voice for every speaker, which is what the job stores, so that "run again" makes the same
audio. It is a pure function of the request and the catalogue: the same request always casts
the same voices. No two speakers share a voice while the catalogue has enough (when it has not,
``cast`` says so in a warning the job keeps); a speaker with no gender wish gets the gender the
job has fewer of, so a dialogue sounds like several people; a speaker with no language wish gets
a voice that reads the scripts of their lines (``writing``), English for Latin.

``voice_problems`` says what a cast request asks of its voices that they cannot do (unknown
voice, pitch on a voice without it, a speed out of range, text in a script the voice's language
cannot read). The gateway answers these with a 422; synthesis checks again, since events can
come from anywhere on the bus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import NamedTuple

from ttsjobs.contracts.casting_warnings import repeated_voices, turn_markup_warnings
from ttsjobs.contracts.job_request import FieldProblem, MultiRoleRequest, VoiceAssignment
from ttsjobs.contracts.readings import taiwan_wish_notes, with_readings
from ttsjobs.contracts.strings import says_something
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, language_fit
from ttsjobs.contracts.writing import (
    PREFERRED_LANGUAGE,
    describe,
    has_script,
    reads,
    script_problem,
    scripts_in,
)

# Without a provider in the request, the first of these that can cast every speaker is used.
PROVIDER_PREFERENCE = ("kokoro", "piper", "espeak")
_LISTED_AT_MOST = 20


class Casting(NamedTuple):
    """What ``cast`` gives: the request as cast, the problems in the way, and warnings about a
    cast that works but is not what was wished for (speakers sharing a voice)."""

    request: MultiRoleRequest
    problems: list[FieldProblem]
    warnings: list[str]


class _Speakers:
    """Each speaker's turns, and the scripts of their lines, found once per request: casting
    stays linear in the turns however many speakers there are."""

    def __init__(self, request: MultiRoleRequest) -> None:
        self.request = request
        self.turns: dict[str, list[int]] = {}
        for i, turn in enumerate(request.turns):
            self.turns.setdefault(turn.speaker, []).append(i)
        self._scripts: dict[str, dict[str, int]] = {}

    def scripts(self, speaker: str) -> dict[str, int]:
        """The scripts of the speaker's lines besides Latin and Common, in order of appearance."""
        if speaker not in self._scripts:
            lines = " ".join(self.request.turns[i].text for i in self.turns[speaker])
            self._scripts[speaker] = scripts_in(lines)
        return self._scripts[speaker]

    def first_turn_with(self, speaker: str, script: str) -> int:
        return next(
            (i for i in self.turns[speaker] if has_script(self.request.turns[i].text, script)),
            self.turns[speaker][0],
        )


def _ordered(providers: Mapping[str, ProviderCatalogue]) -> list[str]:
    known = [p for p in PROVIDER_PREFERENCE if p in providers]
    return known + sorted(p for p in providers if p not in PROVIDER_PREFERENCE)


def _unknown_voice(catalogue: ProviderCatalogue, voice: str) -> str:
    if (problem := catalogue.blend_problem(voice)) is not None:
        return problem
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
    # Catalogue order is the provider's order of preference; min() keeps it among equals.
    return min(candidates, key=lambda v: (used[v.id], genders[v.gender]))


def _reads_all(voice: VoiceInfo, scripts: dict[str, int]) -> bool:
    readable = reads(voice.language, provider=voice.provider)
    return readable is not None and all(script in readable for script in scripts)


class _Caster:
    """Casts the speakers of one request into one provider's voices."""

    def __init__(self, speakers: _Speakers, catalogue: ProviderCatalogue) -> None:
        self.speakers = speakers
        self.catalogue = catalogue
        self.used: Counter[str] = Counter()
        self.genders: Counter[str | None] = Counter()
        self.problems: list[FieldProblem] = []
        # (language, gender) -> candidates: looked up once, not once per speaker.
        self._by_wish: dict[tuple[str, str | None], list[VoiceInfo]] = {}

    def by_wish(self, language: str, gender: str | None) -> list[VoiceInfo]:
        key = (language, gender)
        if key not in self._by_wish:
            exact = self.catalogue.matching(language=language, gender=gender)
            self._by_wish[key] = exact or [
                v
                for v in self.catalogue.matching(gender=gender)
                if language_fit(v.language, language) == 1
            ]
        return self._by_wish[key]

    def by_script(self, speaker: str, gender: str | None) -> list[VoiceInfo] | None:
        """For a speaker without a language wish: the voices that read their lines, the
        language their script is mostly written in first. None: their lines are in Latin (or
        no script), which says nothing of the language; casting then wishes for English."""
        scripts = self.speakers.scripts(speaker)
        if not scripts:
            return None
        readers = [v for v in self.catalogue.matching(gender=gender) if _reads_all(v, scripts)]
        preferred = next((PREFERRED_LANGUAGE[s] for s in scripts if s in PREFERRED_LANGUAGE), None)
        if preferred is not None:
            readers.sort(key=lambda v: -language_fit(v.language, preferred))
        if not readers:
            self.problems.append(self._unread(speaker, scripts, gender))
        return readers

    def _unread(self, speaker: str, scripts: dict[str, int], gender: str | None) -> FieldProblem:
        voices = self.catalogue.matching(gender=gender)
        who = f"{gender} {self.catalogue.provider}" if gender else self.catalogue.provider
        alone = next((s for s in scripts if not any(_reads_all(v, {s: 0}) for v in voices)), None)
        if alone is not None:
            culprit, reason = alone, f"the text has {describe(alone)}, which no {who} voice reads"
        else:
            culprit = list(scripts)[-1]
            both = " and ".join(describe(s) for s in scripts)
            reason = f"the speaker's lines have {both}, which no {who} voice reads together"
        turn = self.speakers.first_turn_with(speaker, culprit)
        return FieldProblem(f"turns[{turn}].text", f"{reason}; see GET /api/v1/voices")

    def cast(self) -> dict[str, VoiceAssignment]:
        assignments = self.speakers.request.voice_assignments
        for assignment in assignments.values():
            if assignment.voice is not None and (voice := self.catalogue.voice(assignment.voice)):
                self.used[voice.id] += 1
                self.genders[voice.gender] += 1
        cast: dict[str, VoiceAssignment] = {}
        for speaker in self.speakers.turns:
            wish = assignments.get(speaker) or VoiceAssignment()
            if wish.voice is not None:
                if self.catalogue.voice(wish.voice) is None:
                    field = f"voice_assignments.{speaker}.voice"
                    problem = _unknown_voice(self.catalogue, wish.voice)
                    self.problems.append(FieldProblem(field, problem))
                # A blend is stored in its one spelling: the segment cache keys on it.
                cast[speaker] = wish.model_copy(
                    update={"voice": self.catalogue.spelled(wish.voice)}
                )
                continue
            chosen = self._chosen(speaker, wish)
            if chosen is None:
                continue
            self.used[chosen.id] += 1
            self.genders[chosen.gender] += 1
            cast[speaker] = wish.model_copy(
                update={"voice": chosen.id, "language": None, "gender": None}
            )
        return cast

    def _chosen(self, speaker: str, wish: VoiceAssignment) -> VoiceInfo | None:
        gender = wish.gender.value if wish.gender else None
        candidates = None if wish.language else self.by_script(speaker, gender)
        if candidates is None:
            language = wish.language or "en"
            candidates = self.by_wish(language, gender)
            if not candidates:
                wanted = " ".join(filter(None, [gender, language]))
                self.problems.append(
                    FieldProblem(
                        f"voice_assignments.{speaker}",
                        f"no {self.catalogue.provider} voice is {wanted}; see GET /api/v1/voices",
                    )
                )
        return _pick(candidates, self.used, self.genders) if candidates else None


def cast(request: MultiRoleRequest, providers: Mapping[str, ProviderCatalogue]) -> Casting:
    """The request with a provider and a voice for every speaker, or the problems in the way;
    and warnings when speakers had to share a voice."""
    if request.provider is not None:
        catalogue = providers.get(request.provider)
        if catalogue is None:
            valid = ", ".join(sorted(providers))
            problem = FieldProblem(
                "provider", f"unknown provider {request.provider!r}; valid: {valid}"
            )
            return Casting(request, [problem], [])
        names = [request.provider]
    else:
        names = _ordered(providers)
    speakers = _Speakers(request)
    first_problems: list[FieldProblem] | None = None
    for name in names:
        caster = _Caster(speakers, providers[name])
        voices = caster.cast()
        if not caster.problems:
            resolved = with_readings(
                request,
                request.model_copy(update={"provider": name, "voice_assignments": voices}),
                providers[name],
            )
            return Casting(
                resolved,
                voice_problems(resolved, providers[name]),
                repeated_voices(request, resolved)
                + taiwan_wish_notes(request, resolved)
                + turn_markup_warnings(resolved, providers[name]),
            )
        first_problems = first_problems if first_problems is not None else caster.problems
    return Casting(request, first_problems or [], [])


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
        # A turn in another language is read by that language's rules, where the voice can.
        language = voice.language if voice is not None else ""
        if voice is not None and turn.language and "language" in voice.settings:
            language = turn.language
        if not says_something(turn.text):
            # The door refuses these; an event from elsewhere on the bus is refused here, on
            # every provider, rather than "completed" as a few milliseconds of silence.
            problems.append(FieldProblem(f"turns[{i}].text", "has nothing to say"))
        elif voice is not None and (
            problem := script_problem(turn.text, language, provider=catalogue.provider)
        ):
            problems.append(FieldProblem(f"turns[{i}].text", f"{problem} ({voice.id})"))
    return problems
