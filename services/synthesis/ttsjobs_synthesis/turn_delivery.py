"""How one turn is delivered: its own speed, pitch, volume and language where it has them (SSML's
``<prosody>`` and ``<lang>``), else its role's; and its markup's spans in the text as
synthesised (NFC), since the engine reads that and not what was sent."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ttsjobs.contracts.job_request import Turn, VoiceAssignment
from ttsjobs.contracts.turn_markup import SpokenAs


@dataclass(frozen=True)
class Delivery:
    speed: float
    pitch: float
    volume: float  # the gain after levelling (assembly)
    language: str | None  # None: the voice's own


def delivery(turn: Turn, role: VoiceAssignment) -> Delivery:
    return Delivery(
        speed=turn.speed if turn.speed is not None else role.speed,
        pitch=turn.pitch if turn.pitch is not None else role.pitch,
        volume=turn.volume if turn.volume is not None else role.volume,
        language=turn.language,
    )


def spans_as_synthesised(turn: Turn) -> tuple[SpokenAs, ...]:
    """The turn's spans, their code points moved into the NFC text where NFC changed it (rare:
    combining marks written apart)."""
    if not turn.spoken_as or unicodedata.is_normalized("NFC", turn.text):
        return tuple(turn.spoken_as)

    def moved(offset: int) -> int:
        return nfc_offset(turn.text, offset)

    return tuple(
        s.model_copy(update={"char_start": moved(s.char_start), "char_end": moved(s.char_end)})
        for s in turn.spoken_as
    )


def nfc_offset(text: str, offset: int) -> int:
    """Where code point ``offset`` of ``text`` is in its NFC form."""
    if unicodedata.is_normalized("NFC", text):
        return offset
    return len(unicodedata.normalize("NFC", text[:offset]))
