from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.response_format import ResponseFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="SpeechRequest")


@_attrs_define
class SpeechRequest:
    """OpenAI's body. Fields OpenAI has and ttsjobs does not use (``instructions``) and fields
    other servers add are ignored, as OpenAI-compatible servers do.

        Attributes:
            model (str): tts-1, tts-1-hd or gpt-4o-mini-tts (the engine that has the voice), or an engine's name (kokoro,
                piper, espeak…)
            input_ (str): the text to read; as a single_tts text
            voice (str): a catalogue voice id or blend, one of your saved voices, one of OpenAI's names (alloy, ash, ballad,
                coral, echo, fable, onyx, nova, sage, shimmer, verse: the operator's default voice each), or a wish to cast: a
                language, optionally with a gender (zh-TW, zh-TW:female)
            response_format (ResponseFormat | Unset):
            speed (float | Unset): 0.25-4 as OpenAI takes it; clamped to the voice's own range, and then the X-Ttsjobs-
                Speed-Clamped header names the speed asked for Default: 1.0.
            stream (bool | Unset): mp3: audio as sentences finish (chunked); other formats and false: the whole file once
                the job has completed Default: True.
            stream_format (Literal['audio'] | Unset): only raw audio; OpenAI's server-sent events are not sent Default:
                'audio'.
    """

    model: str
    input_: str
    voice: str
    response_format: ResponseFormat | Unset = UNSET
    speed: float | Unset = 1.0
    stream: bool | Unset = True
    stream_format: Literal["audio"] | Unset = "audio"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        input_ = self.input_

        voice = self.voice

        response_format: str | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format.value

        speed = self.speed

        stream = self.stream

        stream_format = self.stream_format

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "input": input_,
                "voice": voice,
            }
        )
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if speed is not UNSET:
            field_dict["speed"] = speed
        if stream is not UNSET:
            field_dict["stream"] = stream
        if stream_format is not UNSET:
            field_dict["stream_format"] = stream_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = d.pop("model")

        input_ = d.pop("input")

        voice = d.pop("voice")

        _response_format = d.pop("response_format", UNSET)
        response_format: ResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = ResponseFormat(_response_format)

        speed = d.pop("speed", UNSET)

        stream = d.pop("stream", UNSET)

        stream_format = cast(Literal["audio"] | Unset, d.pop("stream_format", UNSET))
        if stream_format != "audio" and not isinstance(stream_format, Unset):
            raise ValueError(
                f"stream_format must match const 'audio', got '{stream_format}'"
            )

        speech_request = cls(
            model=model,
            input_=input_,
            voice=voice,
            response_format=response_format,
            speed=speed,
            stream=stream,
            stream_format=stream_format,
        )

        speech_request.additional_properties = d
        return speech_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
