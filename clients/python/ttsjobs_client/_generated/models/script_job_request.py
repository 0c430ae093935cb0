from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.mastering import Mastering
from ..models.output_format import OutputFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="ScriptJobRequest")


@_attrs_define
class ScriptJobRequest:
    """A script and the options of the job it makes (as MultiRoleRequest has them).

    Attributes:
        script (str): a script: `Alice: Hello.` lines, `[pause 1s]`, `# voice Alice: af_heart`, a first `# title` line
            (see the README)
        provider (None | str | Unset): the engine; without one, the best installed that can cast every role
        output_format (OutputFormat | Unset):
        sample_rate (int | None | Unset): one of 8000, 12000, 16000, 22050, 24000, 32000, 44100, 48000; else the voice's
        pause_ms (int | None | Unset): silence between turns; else 300 ms
        mastering (Mastering | Unset): What the job's finished mix is brought to (synthesis mastering.py).
        bitrate_kbps (int | None | Unset): mp3 32-320, opus 16-256, m4a 32-192; else the encoder's own
        stems (bool | Unset): also store one track per speaker (a zip of FLAC, GET .../stems), each as long as the
            audio, that add up to it before mastering Default: False.
        title (None | str | Unset):
        lexicons (list[str] | Unset): your pronunciation lexicons (PUT /api/v1/lexicons/{name}) this job uses; for a
            word in several, the first listed wins
        callback_url (None | str | Unset): http(s) URL that gets the job's final event (completed, failed or cancelled)
            as a signed POST; it must be on the operator's callback allowlist
    """

    script: str
    provider: None | str | Unset = UNSET
    output_format: OutputFormat | Unset = UNSET
    sample_rate: int | None | Unset = UNSET
    pause_ms: int | None | Unset = UNSET
    mastering: Mastering | Unset = UNSET
    bitrate_kbps: int | None | Unset = UNSET
    stems: bool | Unset = False
    title: None | str | Unset = UNSET
    lexicons: list[str] | Unset = UNSET
    callback_url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        script = self.script

        provider: None | str | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        output_format: str | Unset = UNSET
        if not isinstance(self.output_format, Unset):
            output_format = self.output_format.value

        sample_rate: int | None | Unset
        if isinstance(self.sample_rate, Unset):
            sample_rate = UNSET
        else:
            sample_rate = self.sample_rate

        pause_ms: int | None | Unset
        if isinstance(self.pause_ms, Unset):
            pause_ms = UNSET
        else:
            pause_ms = self.pause_ms

        mastering: str | Unset = UNSET
        if not isinstance(self.mastering, Unset):
            mastering = self.mastering.value

        bitrate_kbps: int | None | Unset
        if isinstance(self.bitrate_kbps, Unset):
            bitrate_kbps = UNSET
        else:
            bitrate_kbps = self.bitrate_kbps

        stems = self.stems

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        lexicons: list[str] | Unset = UNSET
        if not isinstance(self.lexicons, Unset):
            lexicons = self.lexicons

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "script": script,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if sample_rate is not UNSET:
            field_dict["sample_rate"] = sample_rate
        if pause_ms is not UNSET:
            field_dict["pause_ms"] = pause_ms
        if mastering is not UNSET:
            field_dict["mastering"] = mastering
        if bitrate_kbps is not UNSET:
            field_dict["bitrate_kbps"] = bitrate_kbps
        if stems is not UNSET:
            field_dict["stems"] = stems
        if title is not UNSET:
            field_dict["title"] = title
        if lexicons is not UNSET:
            field_dict["lexicons"] = lexicons
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        script = d.pop("script")

        def _parse_provider(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider = _parse_provider(d.pop("provider", UNSET))

        _output_format = d.pop("output_format", UNSET)
        output_format: OutputFormat | Unset
        if isinstance(_output_format, Unset):
            output_format = UNSET
        else:
            output_format = OutputFormat(_output_format)

        def _parse_sample_rate(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        sample_rate = _parse_sample_rate(d.pop("sample_rate", UNSET))

        def _parse_pause_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pause_ms = _parse_pause_ms(d.pop("pause_ms", UNSET))

        _mastering = d.pop("mastering", UNSET)
        mastering: Mastering | Unset
        if isinstance(_mastering, Unset):
            mastering = UNSET
        else:
            mastering = Mastering(_mastering)

        def _parse_bitrate_kbps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        bitrate_kbps = _parse_bitrate_kbps(d.pop("bitrate_kbps", UNSET))

        stems = d.pop("stems", UNSET)

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        lexicons = cast(list[str], d.pop("lexicons", UNSET))

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))

        script_job_request = cls(
            script=script,
            provider=provider,
            output_format=output_format,
            sample_rate=sample_rate,
            pause_ms=pause_ms,
            mastering=mastering,
            bitrate_kbps=bitrate_kbps,
            stems=stems,
            title=title,
            lexicons=lexicons,
            callback_url=callback_url,
        )

        return script_job_request
