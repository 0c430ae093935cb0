from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.voice_info_accent import VoiceInfoAccent
    from ..models.voice_info_names import VoiceInfoNames


T = TypeVar("T", bound="VoiceInfo")


@_attrs_define
class VoiceInfo:
    """
    Attributes:
        id (str):
        name (str): a name to show people
        language (str): BCP 47
        sample_rate (int):
        gender (None | str | Unset):
        provider (None | str | Unset):
        settings (list[str] | Unset):
        speed_range (list[float] | Unset): the speeds this voice can be asked for
        names (VoiceInfoNames | Unset): a display name per UI locale (en, zh-TW); empty: show `name`
        accent (VoiceInfoAccent | Unset): the accent the voice speaks with, per UI locale; empty if not known
        formula (None | str | Unset): one of your saved voices (/api/v1/voices/mine): the voice, a blend's formula, that
            its id stands for; null for the provider's own voices
    """

    id: str
    name: str
    language: str
    sample_rate: int
    gender: None | str | Unset = UNSET
    provider: None | str | Unset = UNSET
    settings: list[str] | Unset = UNSET
    speed_range: list[float] | Unset = UNSET
    names: VoiceInfoNames | Unset = UNSET
    accent: VoiceInfoAccent | Unset = UNSET
    formula: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        language = self.language

        sample_rate = self.sample_rate

        gender: None | str | Unset
        if isinstance(self.gender, Unset):
            gender = UNSET
        else:
            gender = self.gender

        provider: None | str | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        settings: list[str] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings

        speed_range: list[float] | Unset = UNSET
        if not isinstance(self.speed_range, Unset):
            speed_range = []
            for speed_range_item_data in self.speed_range:
                speed_range_item: float
                speed_range_item = speed_range_item_data
                speed_range.append(speed_range_item)

        names: dict[str, Any] | Unset = UNSET
        if not isinstance(self.names, Unset):
            names = self.names.to_dict()

        accent: dict[str, Any] | Unset = UNSET
        if not isinstance(self.accent, Unset):
            accent = self.accent.to_dict()

        formula: None | str | Unset
        if isinstance(self.formula, Unset):
            formula = UNSET
        else:
            formula = self.formula

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "language": language,
                "sample_rate": sample_rate,
            }
        )
        if gender is not UNSET:
            field_dict["gender"] = gender
        if provider is not UNSET:
            field_dict["provider"] = provider
        if settings is not UNSET:
            field_dict["settings"] = settings
        if speed_range is not UNSET:
            field_dict["speed_range"] = speed_range
        if names is not UNSET:
            field_dict["names"] = names
        if accent is not UNSET:
            field_dict["accent"] = accent
        if formula is not UNSET:
            field_dict["formula"] = formula

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.voice_info_accent import VoiceInfoAccent  # noqa: PLC0415
        from ..models.voice_info_names import VoiceInfoNames  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        language = d.pop("language")

        sample_rate = d.pop("sample_rate")

        def _parse_gender(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gender = _parse_gender(d.pop("gender", UNSET))

        def _parse_provider(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider = _parse_provider(d.pop("provider", UNSET))

        settings = cast(list[str], d.pop("settings", UNSET))

        _speed_range = d.pop("speed_range", UNSET)
        speed_range: list[float] | Unset = UNSET
        if _speed_range is not UNSET:
            speed_range = []
            for speed_range_item_data in _speed_range:

                def _parse_speed_range_item(data: object) -> float:
                    return cast(float, data)

                speed_range_item = _parse_speed_range_item(speed_range_item_data)

                speed_range.append(speed_range_item)

        _names = d.pop("names", UNSET)
        names: VoiceInfoNames | Unset
        if isinstance(_names, Unset):
            names = UNSET
        else:
            names = VoiceInfoNames.from_dict(_names)

        _accent = d.pop("accent", UNSET)
        accent: VoiceInfoAccent | Unset
        if isinstance(_accent, Unset):
            accent = UNSET
        else:
            accent = VoiceInfoAccent.from_dict(_accent)

        def _parse_formula(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        formula = _parse_formula(d.pop("formula", UNSET))

        voice_info = cls(
            id=id,
            name=name,
            language=language,
            sample_rate=sample_rate,
            gender=gender,
            provider=provider,
            settings=settings,
            speed_range=speed_range,
            names=names,
            accent=accent,
            formula=formula,
        )

        voice_info.additional_properties = d
        return voice_info

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
