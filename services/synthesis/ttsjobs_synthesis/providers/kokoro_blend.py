"""Kokoro's blended voices: the style vector of a formula such as ``zf_xiaoxiao(2)+zf_xiaoyi(1)``
is the weighted mean of its voices' vectors (weights normalised to 1; contracts/voice_blends.py
parses the formula). A bare id is its own vector, as before.

The mean is taken in float64 and stored as float32, as the voices file holds them, from the
blend's canonical whole-number shares: every spelling of one mixture gives the same bytes, so
the audio is the same whenever a job with it runs again.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ttsjobs.contracts.voice_blends import BadFormula, looks_like_formula, parse
from ttsjobs_synthesis.providers.base import UnknownVoice


def style_of(voice: str, styles: Mapping[str, np.ndarray]) -> tuple[np.ndarray, str]:
    """The style vector ``voice`` names and the voice that leads it (whose language reads the
    text); UnknownVoice for an id or formula that names no Kokoro voices."""
    if not looks_like_formula(voice):
        style = styles.get(voice)
        if style is None:
            raise UnknownVoice(f"kokoro has no voice {voice!r}")
        return style, voice
    try:
        blend = parse(voice)
    except BadFormula as err:
        raise UnknownVoice(f"kokoro cannot blend {voice!r}: {err}") from None
    unknown = [v for v in blend.voices if v not in styles]
    if unknown:
        raise UnknownVoice(f"kokoro has no voice {', '.join(unknown)} to blend")
    mixed = sum(
        (weight * styles[v].astype(np.float64) for v, weight in blend.weights),
        start=np.zeros_like(styles[blend.lead], dtype=np.float64),
    )
    return mixed.astype(np.float32), blend.lead
