from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RenameRequest")


@_attrs_define
class RenameRequest:
    """PATCH /api/v1/jobs/{id}: a new title, by the rules of a submitted job's title.

    Attributes:
        title (None | str): the job's new title; null removes it
    """

    title: None | str

    def to_dict(self) -> dict[str, Any]:
        title: None | str
        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))

        rename_request = cls(
            title=title,
        )

        return rename_request
