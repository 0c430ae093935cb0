from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.lexicon_summary import LexiconSummary


T = TypeVar("T", bound="LexiconList")


@_attrs_define
class LexiconList:
    """
    Attributes:
        lexicons (list[LexiconSummary]): by name
    """

    lexicons: list[LexiconSummary]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lexicons = []
        for lexicons_item_data in self.lexicons:
            lexicons_item = lexicons_item_data.to_dict()
            lexicons.append(lexicons_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lexicons": lexicons,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lexicon_summary import LexiconSummary  # noqa: PLC0415

        d = dict(src_dict)
        lexicons = []
        _lexicons = d.pop("lexicons")
        for lexicons_item_data in _lexicons:
            lexicons_item = LexiconSummary.from_dict(lexicons_item_data)

            lexicons.append(lexicons_item)

        lexicon_list = cls(
            lexicons=lexicons,
        )

        lexicon_list.additional_properties = d
        return lexicon_list

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
