from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.gender import Gender
from ..models.reading import Reading
from ..types import UNSET, Unset

T = TypeVar("T", bound="VoiceAssignment")


@_attrs_define
class VoiceAssignment:
    """A role's voice: a voice id, or only a wish (language, gender) that the gateway casts into
    a voice; the job's stored input always names the voice that was used.

        Attributes:
            voice (None | str | Unset):
            language (None | str | Unset): BCP 47; a wish when no voice is named (zh-TW casts a Mandarin voice)
            gender (Gender | None | Unset): a wish when no voice is named
            speed (float | Unset): 1.0 is the voice's own pace Default: 1.0.
            pitch (float | Unset): 1.0 is the voice's own pitch (espeak only) Default: 1.0.
            volume (float | Unset): gain after every role is brought to the same loudness; 1.0 keeps it there Default: 1.0.
            reading (None | Reading | Unset): how a Mandarin voice reads: taiwan or mainland; by default taiwan for a zh-TW
                wish or Traditional text, else mainland. The stored job names it.
    """

    voice: None | str | Unset = UNSET
    language: None | str | Unset = UNSET
    gender: Gender | None | Unset = UNSET
    speed: float | Unset = 1.0
    pitch: float | Unset = 1.0
    volume: float | Unset = 1.0
    reading: None | Reading | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        voice: None | str | Unset
        if isinstance(self.voice, Unset):
            voice = UNSET
        else:
            voice = self.voice

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        gender: None | str | Unset
        if isinstance(self.gender, Unset):
            gender = UNSET
        elif isinstance(self.gender, Gender):
            gender = self.gender.value
        else:
            gender = self.gender

        speed = self.speed

        pitch = self.pitch

        volume = self.volume

        reading: None | str | Unset
        if isinstance(self.reading, Unset):
            reading = UNSET
        elif isinstance(self.reading, Reading):
            reading = self.reading.value
        else:
            reading = self.reading

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if voice is not UNSET:
            field_dict["voice"] = voice
        if language is not UNSET:
            field_dict["language"] = language
        if gender is not UNSET:
            field_dict["gender"] = gender
        if speed is not UNSET:
            field_dict["speed"] = speed
        if pitch is not UNSET:
            field_dict["pitch"] = pitch
        if volume is not UNSET:
            field_dict["volume"] = volume
        if reading is not UNSET:
            field_dict["reading"] = reading

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_voice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        voice = _parse_voice(d.pop("voice", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_gender(data: object) -> Gender | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                gender_type_0 = Gender(data)

                return gender_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Gender | None | Unset, data)

        gender = _parse_gender(d.pop("gender", UNSET))

        speed = d.pop("speed", UNSET)

        pitch = d.pop("pitch", UNSET)

        volume = d.pop("volume", UNSET)

        def _parse_reading(data: object) -> None | Reading | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reading_type_0 = Reading(data)

                return reading_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Reading | Unset, data)

        reading = _parse_reading(d.pop("reading", UNSET))

        voice_assignment = cls(
            voice=voice,
            language=language,
            gender=gender,
            speed=speed,
            pitch=pitch,
            volume=volume,
            reading=reading,
        )

        return voice_assignment
