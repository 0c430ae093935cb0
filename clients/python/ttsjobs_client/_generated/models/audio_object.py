from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AudioObject")


@_attrs_define
class AudioObject:
    """
    Attributes:
        bucket (str):
        object_key (str):
        size_bytes (int):
        content_type (str):
        format_ (str):
        sample_rate (int):
    """

    bucket: str
    object_key: str
    size_bytes: int
    content_type: str
    format_: str
    sample_rate: int

    def to_dict(self) -> dict[str, Any]:
        bucket = self.bucket

        object_key = self.object_key

        size_bytes = self.size_bytes

        content_type = self.content_type

        format_ = self.format_

        sample_rate = self.sample_rate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "bucket": bucket,
                "object_key": object_key,
                "size_bytes": size_bytes,
                "content_type": content_type,
                "format": format_,
                "sample_rate": sample_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bucket = d.pop("bucket")

        object_key = d.pop("object_key")

        size_bytes = d.pop("size_bytes")

        content_type = d.pop("content_type")

        format_ = d.pop("format")

        sample_rate = d.pop("sample_rate")

        audio_object = cls(
            bucket=bucket,
            object_key=object_key,
            size_bytes=size_bytes,
            content_type=content_type,
            format_=format_,
            sample_rate=sample_rate,
        )

        return audio_object
