from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alphabet import Alphabet
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lexicon_entry import LexiconEntry


T = TypeVar("T", bound="LexiconDocument")


@_attrs_define
class LexiconDocument:
    """A lexicon as GET answers it; ``?format=json`` gives it without name and updated_at,
    as PUT takes it.

        Attributes:
            alphabet (Alphabet):
            entries (list[LexiconEntry]):
            name (None | str | Unset):
            language (None | str | Unset):
            updated_at (None | str | Unset):
    """

    alphabet: Alphabet
    entries: list[LexiconEntry]
    name: None | str | Unset = UNSET
    language: None | str | Unset = UNSET
    updated_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        alphabet = self.alphabet.value

        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alphabet": alphabet,
                "entries": entries,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if language is not UNSET:
            field_dict["language"] = language
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lexicon_entry import LexiconEntry  # noqa: PLC0415

        d = dict(src_dict)
        alphabet = Alphabet(d.pop("alphabet"))

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = LexiconEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_updated_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        lexicon_document = cls(
            alphabet=alphabet,
            entries=entries,
            name=name,
            language=language,
            updated_at=updated_at,
        )

        lexicon_document.additional_properties = d
        return lexicon_document

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
