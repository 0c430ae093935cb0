from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TurnTiming")


@_attrs_define
class TurnTiming:
    """
    Attributes:
        index (int):
        speaker (str):
        start_ms (int): where the turn starts in the audio
        end_ms (int):
        synthesis_ms (int): wall time spent synthesizing the turn
        synthesis_offset_ms (int | Unset): when the turn's synthesis began, from the job's start Default: 0.
        cache_hit (bool | Unset): reused from the segment cache Default: False.
    """

    index: int
    speaker: str
    start_ms: int
    end_ms: int
    synthesis_ms: int
    synthesis_offset_ms: int | Unset = 0
    cache_hit: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        speaker = self.speaker

        start_ms = self.start_ms

        end_ms = self.end_ms

        synthesis_ms = self.synthesis_ms

        synthesis_offset_ms = self.synthesis_offset_ms

        cache_hit = self.cache_hit

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "index": index,
                "speaker": speaker,
                "start_ms": start_ms,
                "end_ms": end_ms,
                "synthesis_ms": synthesis_ms,
            }
        )
        if synthesis_offset_ms is not UNSET:
            field_dict["synthesis_offset_ms"] = synthesis_offset_ms
        if cache_hit is not UNSET:
            field_dict["cache_hit"] = cache_hit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        speaker = d.pop("speaker")

        start_ms = d.pop("start_ms")

        end_ms = d.pop("end_ms")

        synthesis_ms = d.pop("synthesis_ms")

        synthesis_offset_ms = d.pop("synthesis_offset_ms", UNSET)

        cache_hit = d.pop("cache_hit", UNSET)

        turn_timing = cls(
            index=index,
            speaker=speaker,
            start_ms=start_ms,
            end_ms=end_ms,
            synthesis_ms=synthesis_ms,
            synthesis_offset_ms=synthesis_offset_ms,
            cache_hit=cache_hit,
        )

        return turn_timing
