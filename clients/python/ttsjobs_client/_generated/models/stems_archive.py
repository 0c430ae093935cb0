from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="StemsArchive")


@_attrs_define
class StemsArchive:
    """
    Attributes:
        key (str): the zip's object key, in the audio's bucket
        size_bytes (int):
    """

    key: str
    size_bytes: int

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        size_bytes = self.size_bytes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "size_bytes": size_bytes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        size_bytes = d.pop("size_bytes")

        stems_archive = cls(
            key=key,
            size_bytes=size_bytes,
        )

        return stems_archive
