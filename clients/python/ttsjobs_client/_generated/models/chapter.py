from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Chapter")


@_attrs_define
class Chapter:
    """
    Attributes:
        title (str):
        start_ms (int): where the chapter starts in the audio
    """

    title: str
    start_ms: int

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        start_ms = self.start_ms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
                "start_ms": start_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        start_ms = d.pop("start_ms")

        chapter = cls(
            title=title,
            start_ms=start_ms,
        )

        return chapter
