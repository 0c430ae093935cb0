"""How one turn is delivered: its own speed, pitch, volume and language where it has them (SSML's
``<prosody>`` and ``<lang>``), else its role's; and its markup's spans in the text as
synthesised (NFC), since the engine reads that and not what was sent. What the voice cannot do
is done as near as it can, as casting warned (contracts/casting_warnings.py,
lexicons/span_phonemes.py): a speed within its range, phonemes it cannot read said as written."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ttsjobs.contracts.casting_warnings import said_speed, spoken_language
from ttsjobs.contracts.job_request import Turn, VoiceAssignment
from ttsjobs.contracts.turn_markup import SpokenAs
from ttsjobs.contracts.voices import VoiceInfo, language_fit
from ttsjobs.lexicons.span_phonemes import phonemes_refused


@dataclass(frozen=True)
class Delivery:
    speed: float
    pitch: float
    volume: float  # the gain after levelling (assembly)
    language: str | None  # None: the voice's own


def delivery(turn: Turn, role: VoiceAssignment, voice: VoiceInfo | None = None) -> Delivery:
    """The turn's delivery; given its ``voice``, with the turn's own speed kept within the
    voice's range (a role's is refused at submit instead)."""
    language = turn.language
    if voice is not None and language is not None and language_fit(voice.language, language) == 2:
        language = None  # the voice's own: the same sound, and the same cached segment
    return Delivery(
        speed=said_speed(turn, role.speed, voice),
        pitch=turn.pitch if turn.pitch is not None else role.pitch,
        volume=turn.volume if turn.volume is not None else role.volume,
        language=language,
    )


def spans_as_synthesised(
    turn: Turn, provider: str | None = None, voice: VoiceInfo | None = None
) -> tuple[SpokenAs, ...]:
    """The turn's spans, their code points moved into the NFC text where NFC changed it (rare:
    combining marks written apart); given the ``provider`` and ``voice``, without those whose
    phonemes it cannot read, which are then said as written."""
    spans = list(turn.spoken_as)
    if provider is not None and voice is not None:
        language = spoken_language(turn, voice)
        spans = [
            s
            for s in spans
            if phonemes_refused(s, turn.text[s.char_start : s.char_end], provider, language) is None
        ]
    if not spans or unicodedata.is_normalized("NFC", turn.text):
        return tuple(spans)

    def moved(offset: int) -> int:
        return nfc_offset(turn.text, offset)

    return tuple(
        s.model_copy(update={"char_start": moved(s.char_start), "char_end": moved(s.char_end)})
        for s in spans
    )


def nfc_offset(text: str, offset: int) -> int:
    """Where code point ``offset`` of ``text`` is in its NFC form."""
    if unicodedata.is_normalized("NFC", text):
        return offset
    return len(unicodedata.normalize("NFC", text[:offset]))
