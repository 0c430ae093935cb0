from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mark import Mark
    from ..models.spoken_as import SpokenAs


T = TypeVar("T", bound="Turn")


@_attrs_define
class Turn:
    """
    Attributes:
        speaker (str):
        text (str):
        pause_after_ms (int | None | Unset): silence after this turn; else pause_ms
        chapter (None | str | Unset): a chapter with this title starts at this turn (a script's '## title' line)
        speed (float | None | Unset): this turn's speed; else the role's
        volume (float | None | Unset): this turn's gain; else the role's
        pitch (float | None | Unset): this turn's pitch where the voice has one; else the role's
        language (None | str | Unset): BCP 47: the language the voice speaks this turn in
        spoken_as (list[SpokenAs] | Unset): how single places in the text are said (SSML phoneme, sub, say-as), in
            order, not overlapping; code points into `text`
        marks (list[Mark] | Unset): named points in the text (SSML mark); the word timing gives their times
    """

    speaker: str
    text: str
    pause_after_ms: int | None | Unset = UNSET
    chapter: None | str | Unset = UNSET
    speed: float | None | Unset = UNSET
    volume: float | None | Unset = UNSET
    pitch: float | None | Unset = UNSET
    language: None | str | Unset = UNSET
    spoken_as: list[SpokenAs] | Unset = UNSET
    marks: list[Mark] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        speaker = self.speaker

        text = self.text

        pause_after_ms: int | None | Unset
        if isinstance(self.pause_after_ms, Unset):
            pause_after_ms = UNSET
        else:
            pause_after_ms = self.pause_after_ms

        chapter: None | str | Unset
        if isinstance(self.chapter, Unset):
            chapter = UNSET
        else:
            chapter = self.chapter

        speed: float | None | Unset
        if isinstance(self.speed, Unset):
            speed = UNSET
        else:
            speed = self.speed

        volume: float | None | Unset
        if isinstance(self.volume, Unset):
            volume = UNSET
        else:
            volume = self.volume

        pitch: float | None | Unset
        if isinstance(self.pitch, Unset):
            pitch = UNSET
        else:
            pitch = self.pitch

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        spoken_as: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.spoken_as, Unset):
            spoken_as = []
            for spoken_as_item_data in self.spoken_as:
                spoken_as_item = spoken_as_item_data.to_dict()
                spoken_as.append(spoken_as_item)

        marks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.marks, Unset):
            marks = []
            for marks_item_data in self.marks:
                marks_item = marks_item_data.to_dict()
                marks.append(marks_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "speaker": speaker,
                "text": text,
            }
        )
        if pause_after_ms is not UNSET:
            field_dict["pause_after_ms"] = pause_after_ms
        if chapter is not UNSET:
            field_dict["chapter"] = chapter
        if speed is not UNSET:
            field_dict["speed"] = speed
        if volume is not UNSET:
            field_dict["volume"] = volume
        if pitch is not UNSET:
            field_dict["pitch"] = pitch
        if language is not UNSET:
            field_dict["language"] = language
        if spoken_as is not UNSET:
            field_dict["spoken_as"] = spoken_as
        if marks is not UNSET:
            field_dict["marks"] = marks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mark import Mark  # noqa: PLC0415
        from ..models.spoken_as import SpokenAs  # noqa: PLC0415

        d = dict(src_dict)
        speaker = d.pop("speaker")

        text = d.pop("text")

        def _parse_pause_after_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pause_after_ms = _parse_pause_after_ms(d.pop("pause_after_ms", UNSET))

        def _parse_chapter(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        chapter = _parse_chapter(d.pop("chapter", UNSET))

        def _parse_speed(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        speed = _parse_speed(d.pop("speed", UNSET))

        def _parse_volume(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        volume = _parse_volume(d.pop("volume", UNSET))

        def _parse_pitch(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        pitch = _parse_pitch(d.pop("pitch", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        _spoken_as = d.pop("spoken_as", UNSET)
        spoken_as: list[SpokenAs] | Unset = UNSET
        if _spoken_as is not UNSET:
            spoken_as = []
            for spoken_as_item_data in _spoken_as:
                spoken_as_item = SpokenAs.from_dict(spoken_as_item_data)

                spoken_as.append(spoken_as_item)

        _marks = d.pop("marks", UNSET)
        marks: list[Mark] | Unset = UNSET
        if _marks is not UNSET:
            marks = []
            for marks_item_data in _marks:
                marks_item = Mark.from_dict(marks_item_data)

                marks.append(marks_item)

        turn = cls(
            speaker=speaker,
            text=text,
            pause_after_ms=pause_after_ms,
            chapter=chapter,
            speed=speed,
            volume=volume,
            pitch=pitch,
            language=language,
            spoken_as=spoken_as,
            marks=marks,
        )

        return turn
