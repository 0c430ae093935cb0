"""Blended voices: a formula such as ``zf_xiaoxiao(2)+zf_xiaoyi(1)`` names a weighted mean of
voices, for providers whose catalogue says it can mix them (``ProviderCatalogue.blends``).

A formula is one to ``MAX_PARTS`` voice ids joined by ``+``, each with an optional positive
weight in parentheses (1 when left out, up to three decimals). What it means is the mixture, not
the spelling: ``canonical`` writes every formula for the same mixture the same way (weights as
the smallest whole numbers in the same ratio, heaviest voice first, ties by id; a single voice
is its bare id), so casting stores that one spelling and the segment cache keys on it. The
heaviest voice leads: its language is the blend's (the text is read as it reads).

Pure parsing; a provider turns ``Blend.weights`` into its own mixture (Kokoro: style vectors).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

MAX_PARTS = 4
MAX_WEIGHT = 100
_PART = re.compile(r"\s*([A-Za-z0-9_.-]+)\s*(?:\(\s*(\d{1,3}(?:\.\d{1,3})?|\.\d{1,3})\s*\))?\s*")


class BadFormula(ValueError):
    """A formula that names no mixture; the message says what is wrong, for a 422."""


@dataclass(frozen=True)
class Blend:
    """A mixture of voices, each with its whole-number share, heaviest first."""

    parts: tuple[tuple[str, int], ...]

    @property
    def voices(self) -> tuple[str, ...]:
        return tuple(voice for voice, _ in self.parts)

    @property
    def lead(self) -> str:
        """The heaviest voice: the blend speaks its language."""
        return self.parts[0][0]

    @property
    def weights(self) -> tuple[tuple[str, float], ...]:
        """Each voice with its share of 1."""
        total = sum(share for _, share in self.parts)
        return tuple((voice, share / total) for voice, share in self.parts)

    @property
    def formula(self) -> str:
        if len(self.parts) == 1:
            return self.lead
        return "+".join(f"{voice}({share})" for voice, share in self.parts)


def looks_like_formula(voice: str) -> bool:
    """Whether ``voice`` is written as a formula rather than a bare id."""
    return "+" in voice or "(" in voice


def parse(formula: str) -> Blend:
    """The mixture a formula names, or BadFormula."""
    shares: dict[str, Fraction] = {}
    pieces = formula.split("+")
    if len(pieces) > MAX_PARTS:
        raise BadFormula(f"a blend mixes at most {MAX_PARTS} voices")
    for piece in pieces:
        match = _PART.fullmatch(piece)
        if match is None:
            raise BadFormula(
                f"{piece.strip()!r} is not a voice with an optional weight, as in"
                " zf_xiaoxiao(2)+zf_xiaoyi(1)"
            )
        voice, weight = match.group(1), Fraction(match.group(2) or "1")
        if not 0 < weight <= MAX_WEIGHT:
            raise BadFormula(f"{voice}'s weight must be above 0 and at most {MAX_WEIGHT}")
        shares[voice] = shares.get(voice, Fraction(0)) + weight
    return Blend(_whole(shares))


def canonical(formula: str) -> str:
    """The one spelling of the mixture ``formula`` names (BadFormula if it names none)."""
    return parse(formula).formula


def _whole(shares: dict[str, Fraction]) -> tuple[tuple[str, int], ...]:
    """The shares as the smallest whole numbers in the same ratio, heaviest first."""
    scale = math.lcm(*(share.denominator for share in shares.values()))
    whole = {voice: int(share * scale) for voice, share in shares.items()}
    common = math.gcd(*whole.values())
    return tuple(
        sorted(((v, n // common) for v, n in whole.items()), key=lambda part: (-part[1], part[0]))
    )
