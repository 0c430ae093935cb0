from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PreviewWord")


@_attrs_define
class PreviewWord:
    """
    Attributes:
        text (str): the word as written
        start (int): where it is in the text, in characters
        end (int):
        source (str): where the reading came from: g2p, taiwan (Taiwan's standard readings), rule (a polyphone rule),
            normalised (a number, date, time…), latin (a known Latin word), lexicon:<name>, or other (punctuation: nothing
            said)
        reading (None | str | Unset): what is said: pinyin with tone marks for Chinese, else IPA
        pinyin (None | str | Unset): Chinese: pinyin with tone marks
        bopomofo (None | str | Unset): Chinese: Bopomofo (Zhuyin)
    """

    text: str
    start: int
    end: int
    source: str
    reading: None | str | Unset = UNSET
    pinyin: None | str | Unset = UNSET
    bopomofo: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        start = self.start

        end = self.end

        source = self.source

        reading: None | str | Unset
        if isinstance(self.reading, Unset):
            reading = UNSET
        else:
            reading = self.reading

        pinyin: None | str | Unset
        if isinstance(self.pinyin, Unset):
            pinyin = UNSET
        else:
            pinyin = self.pinyin

        bopomofo: None | str | Unset
        if isinstance(self.bopomofo, Unset):
            bopomofo = UNSET
        else:
            bopomofo = self.bopomofo

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
                "start": start,
                "end": end,
                "source": source,
            }
        )
        if reading is not UNSET:
            field_dict["reading"] = reading
        if pinyin is not UNSET:
            field_dict["pinyin"] = pinyin
        if bopomofo is not UNSET:
            field_dict["bopomofo"] = bopomofo

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        start = d.pop("start")

        end = d.pop("end")

        source = d.pop("source")

        def _parse_reading(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reading = _parse_reading(d.pop("reading", UNSET))

        def _parse_pinyin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pinyin = _parse_pinyin(d.pop("pinyin", UNSET))

        def _parse_bopomofo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        bopomofo = _parse_bopomofo(d.pop("bopomofo", UNSET))

        preview_word = cls(
            text=text,
            start=start,
            end=end,
            source=source,
            reading=reading,
            pinyin=pinyin,
            bopomofo=bopomofo,
        )

        preview_word.additional_properties = d
        return preview_word

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
