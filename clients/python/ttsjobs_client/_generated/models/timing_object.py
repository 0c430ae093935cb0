from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TimingObject")


@_attrs_define
class TimingObject:
    """
    Attributes:
        key (str): the timing's object key (a JobTiming as JSON), in the audio's bucket
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

        timing_object = cls(
            key=key,
            size_bytes=size_bytes,
        )

        return timing_object
