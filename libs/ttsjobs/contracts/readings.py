"""Which reading standard each Mandarin role is read with, decided once at casting.

Taiwan and the mainland read many words differently (垃圾 lè sè / lā jī, 星期 xīng qí / xīng qī).
The stored job names the standard on each Mandarin role, so synthesis and a job run again read
it the same way. Unless the request says, a role reads the Taiwan way when it wished for zh-TW
(casting keeps only the voice it picked, so the wish would otherwise be lost) or writes
Traditional characters; Simplified text reads the mainland way; text in characters both scripts
share follows the rest of the job.
"""

from __future__ import annotations

from collections.abc import Iterable

import zhconv

from ttsjobs.contracts.job_request import MultiRoleRequest, Reading, VoiceAssignment
from ttsjobs.contracts.voices import ProviderCatalogue

_TAIWAN_TAGS = ("zh-tw", "zh-hant", "cmn-tw", "cmn-hant")


def is_mandarin(language: str) -> bool:
    return language.strip().lower().replace("_", "-").split("-")[0] in ("zh", "cmn")


def wishes_taiwan(language: str | None) -> bool:
    tag = (language or "").lower()
    return any(tag == t or tag.startswith(t + "-") for t in _TAIWAN_TAGS)


def writes_traditional(text: str) -> bool:
    """Whether the text has a character only Traditional writing uses."""
    converted: str = zhconv.convert(text, "zh-hans")
    return converted != text


def writes_simplified(text: str) -> bool:
    converted: str = zhconv.convert(text, "zh-hant")
    return converted != text


def _by_text(texts: Iterable[str]) -> Reading | None:
    joined = "".join(texts)
    if writes_traditional(joined):
        return Reading.taiwan
    if writes_simplified(joined):
        return Reading.mainland
    return None


def reading_for(texts: Iterable[str], *, wished: str | None = None) -> Reading:
    """The standard a Mandarin voice reads these texts with when nothing says otherwise."""
    if wishes_taiwan(wished):
        return Reading.taiwan
    return _by_text(texts) or Reading.mainland


def with_readings(
    wished: MultiRoleRequest, cast: MultiRoleRequest, catalogue: ProviderCatalogue
) -> MultiRoleRequest:
    """``cast`` with a reading standard on every role a Mandarin voice speaks."""
    job_default = _by_text(t.text for t in cast.turns) or Reading.mainland
    updated: dict[str, VoiceAssignment] = {}
    for speaker, assignment in cast.voice_assignments.items():
        voice = catalogue.voice(assignment.voice or "")
        if assignment.reading is not None or voice is None or not is_mandarin(voice.language):
            updated[speaker] = assignment
            continue
        wish = wished.voice_assignments.get(speaker)
        if wish is not None and wishes_taiwan(wish.language):
            reading = Reading.taiwan
        else:
            own = _by_text(t.text for t in cast.turns if t.speaker == speaker)
            reading = own or job_default
        updated[speaker] = assignment.model_copy(update={"reading": reading})
    return cast.model_copy(update={"voice_assignments": updated})


def taiwan_wish_notes(wished: MultiRoleRequest, cast: MultiRoleRequest) -> list[str]:
    """A note for each zh-TW wish: what it got is a Mandarin voice reading the Taiwan way, not a
    Taiwan-accented voice, which no installed engine has."""
    notes = []
    for speaker, wish in wished.voice_assignments.items():
        if wish.voice is not None or not wishes_taiwan(wish.language):
            continue
        voice = cast.voice_assignments.get(speaker)
        if voice is None or voice.voice is None:
            continue
        notes.append(
            f"{speaker} wished for {wish.language}: {voice.voice} is a Mandarin voice that reads"
            " the Taiwan way (Taiwan's standard readings); no Taiwan-accented voice is installed"
        )
    return notes
