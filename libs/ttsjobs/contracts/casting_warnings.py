"""Warnings about a cast that works but is not what was wished for: speakers sharing a voice.

``casting.cast`` gives them with the cast request; the gateway puts them on JobCreated, and the
job's view, its row and the web app's job page show them.
"""

from __future__ import annotations

from ttsjobs.contracts.job_request import MultiRoleRequest

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
