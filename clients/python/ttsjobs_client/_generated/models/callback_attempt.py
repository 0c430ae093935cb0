from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallbackAttempt")


@_attrs_define
class CallbackAttempt:
    """
    Attributes:
        attempt (int):
        url (str):
        delivered (bool): the receiver answered 2xx
        final (bool): no further attempt will be made
        at (datetime.datetime):
        status_code (int | None | Unset): the receiver's HTTP status
        error (None | str | Unset): why it was not delivered
    """

    attempt: int
    url: str
    delivered: bool
    final: bool
    at: datetime.datetime
    status_code: int | None | Unset = UNSET
    error: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        url = self.url

        delivered = self.delivered

        final = self.final

        at = self.at.isoformat()

        status_code: int | None | Unset
        if isinstance(self.status_code, Unset):
            status_code = UNSET
        else:
            status_code = self.status_code

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "attempt": attempt,
                "url": url,
                "delivered": delivered,
                "final": final,
                "at": at,
            }
        )
        if status_code is not UNSET:
            field_dict["status_code"] = status_code
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempt = d.pop("attempt")

        url = d.pop("url")

        delivered = d.pop("delivered")

        final = d.pop("final")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_status_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        status_code = _parse_status_code(d.pop("status_code", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        callback_attempt = cls(
            attempt=attempt,
            url=url,
            delivered=delivered,
            final=final,
            at=at,
            status_code=status_code,
            error=error,
        )

        return callback_attempt
