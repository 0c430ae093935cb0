"""Warnings about a cast that works but is not what was wished for: speakers sharing a voice;
a turn asking its voice for what it cannot do (a pitch, a language, phonemes), which is then
spoken without it.

``casting.cast`` gives them with the cast request; the gateway puts them on JobCreated, and the
job's view, its row and the web app's job page show them.
"""

from __future__ import annotations

from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.voices import ProviderCatalogue, language_fit

_NAMED_IN_A_WARNING = 5


def repeated_voices(request: MultiRoleRequest, cast: MultiRoleRequest) -> list[str]:
    """A warning for each voice that casting gave to more than one speaker: the wish ran out of
    distinct voices in the provider. Voices the request itself named twice are its own choice."""
    sharing: dict[str, list[str]] = {}
    casted: set[str] = set()
    for speaker, assignment in cast.voice_assignments.items():
        if assignment.voice is None:
            continue
        sharing.setdefault(assignment.voice, []).append(speaker)
        wished = request.voice_assignments.get(speaker)
        if wished is None or wished.voice is None:
            casted.add(assignment.voice)
    warnings = []
    for voice, speakers in sharing.items():
        if len(speakers) < 2 or voice not in casted:
            continue
        named = ", ".join(speakers[:_NAMED_IN_A_WARNING])
        if len(speakers) > _NAMED_IN_A_WARNING:
            named += f" and {len(speakers) - _NAMED_IN_A_WARNING} more"
        warnings.append(
            f"{len(speakers)} speakers share the voice {voice} ({named}): {cast.provider} has"
            " no other voice left for their wish; name voices, or wish for another language"
            " or gender, to tell them apart"
        )
    return warnings


# The engines that read phonemes; the others say a turn's <phoneme> span as written.
_TAKES_PHONEMES = frozenset({"kokoro", "espeak"})


def turn_markup_warnings(cast: MultiRoleRequest, catalogue: ProviderCatalogue) -> list[str]:
    """A warning for what turns ask of their voice that it cannot give (the catalogue's
    ``settings`` say what a voice can change): a pitch, a language, phonemes. The turn is spoken
    without it: at the voice's own pitch, in its own language, as written. One warning per
    thing asked, naming its turns, so that a long document's markup makes a few lines."""
    turns_of: dict[str, list[int]] = {}
    provider = catalogue.provider
    for i, turn in enumerate(cast.turns):
        voice = catalogue.voice(cast.voice_assignments[turn.speaker].voice or "")
        if voice is None:
            continue  # voice_problems says so
        found = []
        if turn.pitch is not None and turn.pitch != 1.0 and "pitch" not in voice.settings:
            found.append(
                f"a pitch that {provider} voice {voice.id} cannot do: spoken at its own pitch"
            )
        if turn.language and language_fit(voice.language, turn.language) < 2:
            if "language" not in voice.settings:
                found.append(
                    f"{turn.language}, which {provider} voice {voice.id} cannot speak: spoken in"
                    f" {voice.language}"
                )
            elif not any(language_fit(v.language, turn.language) for v in catalogue.voices):
                found.append(
                    f"{turn.language}, which {provider} does not speak: spoken in {voice.language}"
                )
        if provider not in _TAKES_PHONEMES and any(s.phoneme for s in turn.spoken_as):
            found.append(f"phonemes, which {provider} takes none of: said as written")
        for what in found:
            turns_of.setdefault(what, []).append(i + 1)
    return [f"{_turns(numbers)} for {what}" for what, numbers in turns_of.items()]


def _turns(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"turn {numbers[0]} asks"
    named = ", ".join(str(n) for n in numbers[:_NAMED_IN_A_WARNING])
    if len(numbers) > _NAMED_IN_A_WARNING:
        named += f" and {len(numbers) - _NAMED_IN_A_WARNING} more"
    return f"turns {named} ask"
