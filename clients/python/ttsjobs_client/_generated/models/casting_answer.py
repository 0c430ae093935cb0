from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.casting_answer_voice_assignments import CastingAnswerVoiceAssignments


T = TypeVar("T", bound="CastingAnswer")


@_attrs_define
class CastingAnswer:
    """
    Attributes:
        provider (str):
        voice_assignments (CastingAnswerVoiceAssignments): each speaker's voice as the job would store it
        warnings (list[str]): how the cast falls short of what was wished for
        estimated_audio_ms (int): the audio's expected length
        estimated_render_ms (int | None): how long synthesis would take; null until the engine's speed is known
    """

    provider: str
    voice_assignments: CastingAnswerVoiceAssignments
    warnings: list[str]
    estimated_audio_ms: int
    estimated_render_ms: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        voice_assignments = self.voice_assignments.to_dict()

        warnings = self.warnings

        estimated_audio_ms = self.estimated_audio_ms

        estimated_render_ms: int | None
        estimated_render_ms = self.estimated_render_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "voice_assignments": voice_assignments,
                "warnings": warnings,
                "estimated_audio_ms": estimated_audio_ms,
                "estimated_render_ms": estimated_render_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.casting_answer_voice_assignments import (
            CastingAnswerVoiceAssignments,  # noqa: PLC0415
        )

        d = dict(src_dict)
        provider = d.pop("provider")

        voice_assignments = CastingAnswerVoiceAssignments.from_dict(
            d.pop("voice_assignments")
        )

        warnings = cast(list[str], d.pop("warnings"))

        estimated_audio_ms = d.pop("estimated_audio_ms")

        def _parse_estimated_render_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        estimated_render_ms = _parse_estimated_render_ms(d.pop("estimated_render_ms"))

        casting_answer = cls(
            provider=provider,
            voice_assignments=voice_assignments,
            warnings=warnings,
            estimated_audio_ms=estimated_audio_ms,
            estimated_render_ms=estimated_render_ms,
        )

        casting_answer.additional_properties = d
        return casting_answer

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
