from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.caption_file_format import CaptionFileFormat

T = TypeVar("T", bound="CaptionFile")


@_attrs_define
class CaptionFile:
    """
    Attributes:
        format_ (CaptionFileFormat):
        object_key (str):
        content_type (str):
        size_bytes (int):
    """

    format_: CaptionFileFormat
    object_key: str
    content_type: str
    size_bytes: int

    def to_dict(self) -> dict[str, Any]:
        format_ = self.format_.value

        object_key = self.object_key

        content_type = self.content_type

        size_bytes = self.size_bytes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "format": format_,
                "object_key": object_key,
                "content_type": content_type,
                "size_bytes": size_bytes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        format_ = CaptionFileFormat(d.pop("format"))

        object_key = d.pop("object_key")

        content_type = d.pop("content_type")

        size_bytes = d.pop("size_bytes")

        caption_file = cls(
            format_=format_,
            object_key=object_key,
            content_type=content_type,
            size_bytes=size_bytes,
        )

        return caption_file
