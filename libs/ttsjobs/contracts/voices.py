"""The voice catalogue: each synthesis provider says which voices it has.

Synthesis publishes its providers' catalogues to a JetStream key-value bucket at start; the
gateway validates requests against what is there. The list comes from the providers themselves.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class VoiceInfo(BaseModel):
    id: str = Field(examples=["en_US-joe-medium"])
    name: str
    language: str = Field(examples=["en-US"])
    gender: str | None = None
    sample_rate: int
    settings: list[str] = Field(default_factory=lambda: ["speed"])


class ProviderCatalogue(BaseModel):
    provider: str
    description: str
    voices: list[VoiceInfo]
    variants: list[str] = Field(
        default_factory=list,
        description="suffixes a voice id may carry as 'voice+variant' (espeak-ng)",
    )

    def voice(self, voice: str) -> VoiceInfo | None:
        """The voice an id names, ``voice+variant`` included; None if there is none."""
        base, _, variant = voice.partition("+")
        if variant and variant not in self.variants:
            return None
        return next((v for v in self.voices if v.id == base), None)

    def knows_voice(self, voice: str) -> bool:
        return self.voice(voice) is not None
