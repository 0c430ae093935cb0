"""The voice catalogue: each synthesis provider says which voices it has.

Synthesis publishes its providers' catalogues to a JetStream key-value bucket at start; the
gateway validates requests against what is there. The list comes from the providers themselves.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator


class VoiceInfo(BaseModel):
    id: str = Field(examples=["af_heart"])
    name: str = Field(description="a name to show people", examples=["Heart"])
    language: str = Field(description="BCP 47", examples=["en-US"])
    gender: str | None = Field(default=None, examples=["female"])
    provider: str | None = Field(default=None, examples=["kokoro"])
    sample_rate: int
    settings: list[str] = Field(default_factory=lambda: ["speed"])
    speed_range: tuple[float, float] = Field(
        default=(0.25, 4.0), description="the speeds this voice can be asked for"
    )


class ProviderCatalogue(BaseModel):
    provider: str
    description: str
    voices: list[VoiceInfo]
    variants: list[str] = Field(
        default_factory=list,
        description="suffixes a voice id may carry as 'voice+variant' (espeak-ng)",
    )

    @model_validator(mode="after")
    def _voices_name_their_provider(self) -> ProviderCatalogue:
        for voice in self.voices:
            voice.provider = self.provider
        return self

    def voice(self, voice: str) -> VoiceInfo | None:
        """The voice an id names, ``voice+variant`` included; None if there is none."""
        base, _, variant = voice.partition("+")
        if variant and variant not in self.variants:
            return None
        return next((v for v in self.voices if v.id == base), None)

    def knows_voice(self, voice: str) -> bool:
        return self.voice(voice) is not None
