"""The prepare-text stage for engines that take text (espeak, piper, and Kokoro's voices that
espeak phonemises): the turn as the engine should read it, numbers and the like said as words,
lexicon aliases said for their graphemes, and lexicon phonemes in the engine's own notation.
"""

from __future__ import annotations

from collections.abc import Callable

from ttsjobs_synthesis.prepare_text.plan import Normaliser, Piece, pieces, said_text
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation


class PhonemesRefused(ValueError):
    """A lexicon phoneme the engine cannot take (the gateway refuses these at submit)."""


def normaliser_for(language: str) -> Normaliser | None:
    """The normaliser of the voice's language; other languages are left to the engine."""
    base = language.lower().split("-")[0]
    if base in ("zh", "cmn"):
        from ttsjobs_synthesis.prepare_text.normalise_zh import normalise_zh

        return normalise_zh
    if base == "en":
        from ttsjobs_synthesis.prepare_text.normalise_en import normalise_en

        return normalise_en
    return None


def planned(text: str, language: str, pronunciation: Pronunciation) -> list[Piece]:
    return pieces(
        text,
        pronunciation.entries,
        normalise=normaliser_for(language),
        spoken=pronunciation.spoken_as,
        language=language,
    )


def engine_text(
    text: str,
    language: str,
    pronunciation: Pronunciation,
    *,
    phoneme: Callable[[Piece], str] | None = None,
    engine: str = "this engine",
) -> str:
    """The text to give the engine; ``phoneme`` writes a lexicon reading in its notation."""
    normalise = normaliser_for(language)
    out = []
    for piece in planned(text, language, pronunciation):
        if piece.said is not None:
            out.append(said_text(piece, normalise))
        elif phoneme is None and piece.source == "phoneme":
            out.append(text[piece.start : piece.end])  # see engine_spans.engine_text_mapped
        elif phoneme is None:
            written = text[piece.start : piece.end]
            raise PhonemesRefused(f"{engine} takes no phonemes ({piece.source}: {written!r})")
        else:
            out.append(phoneme(piece))
    return "".join(out)


def phonemised(
    text: str,
    language: str,
    pronunciation: Pronunciation,
    *,
    phonemise: Callable[[str], str],
    reading: Callable[[Piece], str],
) -> str:
    """Phonemes for an engine that phonemises text itself (Kokoro's espeak languages): the said
    pieces joined and phonemised together, so a sentence keeps its flow across a normalised
    number, and each lexicon reading spliced in between as ``reading`` writes it."""
    normalise = normaliser_for(language)
    out: list[str] = []
    said: list[str] = []
    for piece in planned(text, language, pronunciation):
        if piece.said is not None:
            said.append(said_text(piece, normalise))
            continue
        if said:
            out.append(phonemise("".join(said)))
            said = []
        out.append(reading(piece))
    if said:
        out.append(phonemise("".join(said)))
    return " ".join(p.strip() for p in out if p.strip())
