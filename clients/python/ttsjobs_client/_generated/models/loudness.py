from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="Loudness")


@_attrs_define
class Loudness:
    """The finished audio as measured (ITU-R BS.1770-4, EBU Tech 3342), before encoding.

    Attributes:
        preset (str): the mastering asked for: none, podcast or audiobook
        integrated_lufs (float | None): programme loudness; null: silence
        true_peak_dbtp (float | None): 4x oversampled peak; null: silence
        loudness_range_lu (float): EBU loudness range
    """

    preset: str
    integrated_lufs: float | None
    true_peak_dbtp: float | None
    loudness_range_lu: float

    def to_dict(self) -> dict[str, Any]:
        preset = self.preset

        integrated_lufs: float | None
        integrated_lufs = self.integrated_lufs

        true_peak_dbtp: float | None
        true_peak_dbtp = self.true_peak_dbtp

        loudness_range_lu = self.loudness_range_lu

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "preset": preset,
                "integrated_lufs": integrated_lufs,
                "true_peak_dbtp": true_peak_dbtp,
                "loudness_range_lu": loudness_range_lu,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        preset = d.pop("preset")

        def _parse_integrated_lufs(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        integrated_lufs = _parse_integrated_lufs(d.pop("integrated_lufs"))

        def _parse_true_peak_dbtp(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        true_peak_dbtp = _parse_true_peak_dbtp(d.pop("true_peak_dbtp"))

        loudness_range_lu = d.pop("loudness_range_lu")

        loudness = cls(
            preset=preset,
            integrated_lufs=integrated_lufs,
            true_peak_dbtp=true_peak_dbtp,
            loudness_range_lu=loudness_range_lu,
        )

        return loudness
