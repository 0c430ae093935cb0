from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reading import Reading
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.preview_word import PreviewWord


T = TypeVar("T", bound="Preview")


@_attrs_define
class Preview:
    """
    Attributes:
        language (str):
        words (list[PreviewWord]):
        reading (None | Reading | Unset): the reading standard Mandarin is read with
    """

    language: str
    words: list[PreviewWord]
    reading: None | Reading | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        language = self.language

        words = []
        for words_item_data in self.words:
            words_item = words_item_data.to_dict()
            words.append(words_item)

        reading: None | str | Unset
        if isinstance(self.reading, Unset):
            reading = UNSET
        elif isinstance(self.reading, Reading):
            reading = self.reading.value
        else:
            reading = self.reading

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "language": language,
                "words": words,
            }
        )
        if reading is not UNSET:
            field_dict["reading"] = reading

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preview_word import PreviewWord  # noqa: PLC0415

        d = dict(src_dict)
        language = d.pop("language")

        words = []
        _words = d.pop("words")
        for words_item_data in _words:
            words_item = PreviewWord.from_dict(words_item_data)

            words.append(words_item)

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

        preview = cls(
            language=language,
            words=words,
            reading=reading,
        )

        preview.additional_properties = d
        return preview

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
