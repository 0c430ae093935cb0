from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.provider_catalogue_summary import ProviderCatalogueSummary
    from ..models.voice_info import VoiceInfo


T = TypeVar("T", bound="ProviderCatalogue")


@_attrs_define
class ProviderCatalogue:
    """
    Attributes:
        provider (str):
        description (str):
        voices (list[VoiceInfo]):
        variants (list[str] | Unset): suffixes a voice id may carry as 'voice+variant' (espeak-ng)
        blends (bool | Unset): whether a voice may be a formula mixing this provider's voices, as in
            zf_xiaoxiao(2)+zf_xiaoyi(1) (weights normalised; contracts/voice_blends.py) Default: False.
        summary (ProviderCatalogueSummary | Unset): the engine in one phrase, per UI locale (en, zh-TW)
        realtime_factor (float | None | Unset): seconds of synthesis per second of audio for one turn, measured on the
            worker as it started; null until measured
        parallel_turns (int | None | Unset): how many turns of one job the worker synthesises at once
    """

    provider: str
    description: str
    voices: list[VoiceInfo]
    variants: list[str] | Unset = UNSET
    blends: bool | Unset = False
    summary: ProviderCatalogueSummary | Unset = UNSET
    realtime_factor: float | None | Unset = UNSET
    parallel_turns: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        description = self.description

        voices = []
        for voices_item_data in self.voices:
            voices_item = voices_item_data.to_dict()
            voices.append(voices_item)

        variants: list[str] | Unset = UNSET
        if not isinstance(self.variants, Unset):
            variants = self.variants

        blends = self.blends

        summary: dict[str, Any] | Unset = UNSET
        if not isinstance(self.summary, Unset):
            summary = self.summary.to_dict()

        realtime_factor: float | None | Unset
        if isinstance(self.realtime_factor, Unset):
            realtime_factor = UNSET
        else:
            realtime_factor = self.realtime_factor

        parallel_turns: int | None | Unset
        if isinstance(self.parallel_turns, Unset):
            parallel_turns = UNSET
        else:
            parallel_turns = self.parallel_turns

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "description": description,
                "voices": voices,
            }
        )
        if variants is not UNSET:
            field_dict["variants"] = variants
        if blends is not UNSET:
            field_dict["blends"] = blends
        if summary is not UNSET:
            field_dict["summary"] = summary
        if realtime_factor is not UNSET:
            field_dict["realtime_factor"] = realtime_factor
        if parallel_turns is not UNSET:
            field_dict["parallel_turns"] = parallel_turns

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.provider_catalogue_summary import ProviderCatalogueSummary  # noqa: PLC0415
        from ..models.voice_info import VoiceInfo  # noqa: PLC0415

        d = dict(src_dict)
        provider = d.pop("provider")

        description = d.pop("description")

        voices = []
        _voices = d.pop("voices")
        for voices_item_data in _voices:
            voices_item = VoiceInfo.from_dict(voices_item_data)

            voices.append(voices_item)

        variants = cast(list[str], d.pop("variants", UNSET))

        blends = d.pop("blends", UNSET)

        _summary = d.pop("summary", UNSET)
        summary: ProviderCatalogueSummary | Unset
        if isinstance(_summary, Unset):
            summary = UNSET
        else:
            summary = ProviderCatalogueSummary.from_dict(_summary)

        def _parse_realtime_factor(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        realtime_factor = _parse_realtime_factor(d.pop("realtime_factor", UNSET))

        def _parse_parallel_turns(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        parallel_turns = _parse_parallel_turns(d.pop("parallel_turns", UNSET))

        provider_catalogue = cls(
            provider=provider,
            description=description,
            voices=voices,
            variants=variants,
            blends=blends,
            summary=summary,
            realtime_factor=realtime_factor,
            parallel_turns=parallel_turns,
        )

        provider_catalogue.additional_properties = d
        return provider_catalogue

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
