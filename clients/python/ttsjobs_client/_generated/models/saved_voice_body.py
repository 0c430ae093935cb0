from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SavedVoiceBody")


@_attrs_define
class SavedVoiceBody:
    """
    Attributes:
        voice (str): a blend's formula, or one voice
        provider (None | str | Unset): by default the first that can blend it
    """

    voice: str
    provider: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        voice = self.voice

        provider: None | str | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "voice": voice,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider

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

        saved_voice_body = cls(
            voice=voice,
            provider=provider,
        )

        return saved_voice_body
