from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reading import Reading
from ..types import UNSET, Unset

T = TypeVar("T", bound="VoicePreviewRequest")


@_attrs_define
class VoicePreviewRequest:
    """
    Attributes:
        voice (str):
        provider (None | str | Unset): by default the first provider that has the voice
        speed (float | Unset): within the voice's speed_range Default: 1.0.
        reading (None | Reading | Unset): Mandarin voices: taiwan says a Traditional line with Taiwan readings, mainland
            a Simplified one; by default as the voice's language reads
    """

    voice: str
    provider: None | str | Unset = UNSET
    speed: float | Unset = 1.0
    reading: None | Reading | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        voice = self.voice

        provider: None | str | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        speed = self.speed

        reading: None | str | Unset
        if isinstance(self.reading, Unset):
            reading = UNSET
        elif isinstance(self.reading, Reading):
            reading = self.reading.value
        else:
            reading = self.reading

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "voice": voice,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider
        if speed is not UNSET:
            field_dict["speed"] = speed
        if reading is not UNSET:
            field_dict["reading"] = reading

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        voice = d.pop("voice")

        def _parse_provider(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider = _parse_provider(d.pop("provider", UNSET))

        speed = d.pop("speed", UNSET)

        def _parse_reading(data: object) -> None | Reading | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reading_type_0 = Reading(data)

                return reading_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Reading | Unset, data)

        reading = _parse_reading(d.pop("reading", UNSET))

        voice_preview_request = cls(
            voice=voice,
            provider=provider,
            speed=speed,
            reading=reading,
        )

        return voice_preview_request
