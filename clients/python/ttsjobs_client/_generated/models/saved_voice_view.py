from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SavedVoiceView")


@_attrs_define
class SavedVoiceView:
    """
    Attributes:
        name (str):
        provider (str):
        voice (str): the formula, in its one spelling
        language (None | str): BCP 47: the language it reads, of its lead voice
        gender (None | str): where all its voices share one
        updated_at (str):
    """

    name: str
    provider: str
    voice: str
    language: None | str
    gender: None | str
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        provider = self.provider

        voice = self.voice

        language: None | str
        language = self.language

        gender: None | str
        gender = self.gender

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "provider": provider,
                "voice": voice,
                "language": language,
                "gender": gender,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        provider = d.pop("provider")

        voice = d.pop("voice")

        def _parse_language(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        language = _parse_language(d.pop("language"))

        def _parse_gender(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gender = _parse_gender(d.pop("gender"))

        updated_at = d.pop("updated_at")

        saved_voice_view = cls(
            name=name,
            provider=provider,
            voice=voice,
            language=language,
            gender=gender,
            updated_at=updated_at,
        )

        saved_voice_view.additional_properties = d
        return saved_voice_view

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
