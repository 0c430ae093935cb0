from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alphabet import Alphabet

T = TypeVar("T", bound="LexiconSummary")


@_attrs_define
class LexiconSummary:
    """
    Attributes:
        name (str):
        language (None | str):
        alphabet (Alphabet):
        entry_count (int):
        size_bytes (int): as stored
        updated_at (str):
    """

    name: str
    language: None | str
    alphabet: Alphabet
    entry_count: int
    size_bytes: int
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        language: None | str
        language = self.language

        alphabet = self.alphabet.value

        entry_count = self.entry_count

        size_bytes = self.size_bytes

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "language": language,
                "alphabet": alphabet,
                "entry_count": entry_count,
                "size_bytes": size_bytes,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_language(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        language = _parse_language(d.pop("language"))

        alphabet = Alphabet(d.pop("alphabet"))

        entry_count = d.pop("entry_count")

        size_bytes = d.pop("size_bytes")

        updated_at = d.pop("updated_at")

        lexicon_summary = cls(
            name=name,
            language=language,
            alphabet=alphabet,
            entry_count=entry_count,
            size_bytes=size_bytes,
            updated_at=updated_at,
        )

        lexicon_summary.additional_properties = d
        return lexicon_summary

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
