from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Mark")


@_attrs_define
class Mark:
    """SSML ``<mark name>``: a named point in the turn's text; the job's word timing gives its
    time.

        Attributes:
            name (str):
            char_offset (int):
    """

    name: str
    char_offset: int

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        char_offset = self.char_offset

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "char_offset": char_offset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        char_offset = d.pop("char_offset")

        mark = cls(
            name=name,
            char_offset=char_offset,
        )

        return mark
