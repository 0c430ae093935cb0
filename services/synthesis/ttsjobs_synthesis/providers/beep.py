"""``beep``: a toy provider, a short square wave per turn in one of two voices."""

from __future__ import annotations

import numpy as np

from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_synthesis.providers.base import Speech, SynthesisRejected, UnknownVoice

SAMPLE_RATE = 16_000
_HZ = {"low": 300.0, "high": 600.0}


class BeepProvider:
    name = "beep"

    def __init__(self) -> None:
        self._catalogue = ProviderCatalogue(
            provider=self.name,
            description="toy provider: a square-wave beep per turn",
            voices=[
                VoiceInfo(
                    id=v,
                    name=f"{v} beep",
                    language="zxx",
                    sample_rate=SAMPLE_RATE,
                    settings=["speed", "pitch"],
                )
                for v in _HZ
            ],
        )

    def catalogue(self) -> ProviderCatalogue:
        return self._catalogue

    def synthesize(self, text: str, voice: str, *, speed: float, pitch: float = 1.0) -> Speech:
        if voice not in _HZ:
            raise UnknownVoice(voice)
        if not text.strip():
            raise SynthesisRejected("nothing to beep")
        n = int(SAMPLE_RATE * 0.2 / speed)
        t = np.arange(n) / SAMPLE_RATE
        wave = np.sign(np.sin(2 * np.pi * _HZ[voice] * pitch * t))
        return Speech(samples=(wave * 0.2 * 32767).astype(np.int16), sample_rate=SAMPLE_RATE)
