"""Warnings about a cast that works but is not what was wished for: speakers sharing a voice;
a turn asking its voice for what it cannot do (a speed past its range, a pitch, a language),
which is then spoken as near as the voice can: synthesis makes the same decisions through the
functions here. (Phonemes a voice cannot read: lexicons/span_phonemes.py, where the alphabets
are known.)

``casting.cast`` gives them with the cast request; the gateway puts them on JobCreated, and the
job's view, its row and the web app's job page show them.
"""

from __future__ import annotations

from ttsjobs.contracts.job_request import MultiRoleRequest, Turn
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, language_fit

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


def spoken_language(turn: Turn, voice: VoiceInfo) -> str:
    """The language a turn is read in: its own where the voice can change it, else the voice's."""
    if turn.language and "language" in voice.settings:
        return turn.language
    return voice.language


def turn_speed(speed: float, voice: VoiceInfo) -> float:
    """A turn's speed within what the voice does (SSML's rates reach past Kokoro's 0.5-2)."""
    low, high = voice.speed_range
    return min(max(speed, low), high)


def said_speed(turn: Turn, role_speed: float, voice: VoiceInfo | None) -> float:
    """The speed a turn is said at: its own, kept within its ``voice``'s range where the voice
    is known, else its role's (a role's own speed out of range is refused at submit)."""
    if turn.speed is None:
        return role_speed
    return turn_speed(turn.speed, voice) if voice is not None else turn.speed


def turn_markup_warnings(cast: MultiRoleRequest, catalogue: ProviderCatalogue) -> list[str]:
    """A warning for what turns ask of their voice that it cannot give (the catalogue's
    ``settings`` and ``speed_range`` say what a voice can change): a speed past its range, a
    pitch, a language. The turn is spoken as near as the voice can: at its nearest speed, its
    own pitch, its own language. One warning per thing asked, naming its turns, so that a long
    document's markup makes a few lines."""
    turns_of: dict[str, list[int]] = {}
    provider = catalogue.provider
    for i, turn in enumerate(cast.turns):
        voice = catalogue.voice(cast.voice_assignments[turn.speaker].voice or "")
        if voice is None:
            continue  # voice_problems says so
        found = []
        if turn.speed is not None and turn_speed(turn.speed, voice) != turn.speed:
            low, high = voice.speed_range
            found.append(
                f"a speed past {provider} voice {voice.id}'s {low}-{high}x: spoken at"
                f" {turn_speed(turn.speed, voice)}x"
            )
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
        for what in found:
            turns_of.setdefault(what, []).append(i + 1)
    return by_turns(turns_of)


def by_turns(turns_of: dict[str, list[int]]) -> list[str]:
    """A warning per thing asked ("a pitch that …"), naming the turns (1-based) that ask it."""
    return [f"{_turns(numbers)} for {what}" for what, numbers in turns_of.items()]


def _turns(numbers: list[int]) -> str:
    numbers = sorted(set(numbers))
    if len(numbers) == 1:
        return f"turn {numbers[0]} asks"
    named = ", ".join(str(n) for n in numbers[:_NAMED_IN_A_WARNING])
    if len(numbers) > _NAMED_IN_A_WARNING:
        named += f" and {len(numbers) - _NAMED_IN_A_WARNING} more"
    return f"turns {named} ask"
