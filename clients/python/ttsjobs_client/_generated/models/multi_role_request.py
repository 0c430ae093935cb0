from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.mastering import Mastering
from ..models.output_format import OutputFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.multi_role_request_voice_assignments import (
        MultiRoleRequestVoiceAssignments,
    )
    from ..models.turn import Turn
    from ..models.used_entry import UsedEntry


T = TypeVar("T", bound="MultiRoleRequest")


@_attrs_define
class MultiRoleRequest:
    """The original parameters of a multi-role job, kept with the job for replay.

    Attributes:
        turns (list[Turn]):
        provider (None | str | Unset): the engine; without one, the best installed that can cast every role
        voice_assignments (MultiRoleRequestVoiceAssignments | Unset): per speaker that has a turn: a voice, or a wish to
            cast from; a speaker left out is cast
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
        lexicon_entries (list[UsedEntry] | None | Unset): the entries of the named lexicons this job uses, as they were
            at submit; the server fills it in from `lexicons`. Sent back (a stored job run again), it is used as it is, and
            the lexicons are not read again.
        callback_url (None | str | Unset): http(s) URL that gets the job's final event (completed, failed or cancelled)
            as a signed POST; it must be on the operator's callback allowlist
    """

    turns: list[Turn]
    provider: None | str | Unset = UNSET
    voice_assignments: MultiRoleRequestVoiceAssignments | Unset = UNSET
    output_format: OutputFormat | Unset = UNSET
    sample_rate: int | None | Unset = UNSET
    pause_ms: int | None | Unset = UNSET
    mastering: Mastering | Unset = UNSET
    bitrate_kbps: int | None | Unset = UNSET
    stems: bool | Unset = False
    title: None | str | Unset = UNSET
    lexicons: list[str] | Unset = UNSET
    lexicon_entries: list[UsedEntry] | None | Unset = UNSET
    callback_url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        turns = []
        for turns_item_data in self.turns:
            turns_item = turns_item_data.to_dict()
            turns.append(turns_item)

        provider: None | str | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        voice_assignments: dict[str, Any] | Unset = UNSET
        if not isinstance(self.voice_assignments, Unset):
            voice_assignments = self.voice_assignments.to_dict()

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

        lexicon_entries: list[dict[str, Any]] | None | Unset
        if isinstance(self.lexicon_entries, Unset):
            lexicon_entries = UNSET
        elif isinstance(self.lexicon_entries, list):
            lexicon_entries = []
            for lexicon_entries_type_0_item_data in self.lexicon_entries:
                lexicon_entries_type_0_item = lexicon_entries_type_0_item_data.to_dict()
                lexicon_entries.append(lexicon_entries_type_0_item)

        else:
            lexicon_entries = self.lexicon_entries

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "turns": turns,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider
        if voice_assignments is not UNSET:
            field_dict["voice_assignments"] = voice_assignments
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
        if lexicon_entries is not UNSET:
            field_dict["lexicon_entries"] = lexicon_entries
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.multi_role_request_voice_assignments import (
            MultiRoleRequestVoiceAssignments,  # noqa: PLC0415
        )
        from ..models.turn import Turn  # noqa: PLC0415
        from ..models.used_entry import UsedEntry  # noqa: PLC0415

        d = dict(src_dict)
        turns = []
        _turns = d.pop("turns")
        for turns_item_data in _turns:
            turns_item = Turn.from_dict(turns_item_data)

            turns.append(turns_item)

        def _parse_provider(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider = _parse_provider(d.pop("provider", UNSET))

        _voice_assignments = d.pop("voice_assignments", UNSET)
        voice_assignments: MultiRoleRequestVoiceAssignments | Unset
        if isinstance(_voice_assignments, Unset):
            voice_assignments = UNSET
        else:
            voice_assignments = MultiRoleRequestVoiceAssignments.from_dict(
                _voice_assignments
            )

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

        def _parse_lexicon_entries(data: object) -> list[UsedEntry] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                lexicon_entries_type_0 = []
                _lexicon_entries_type_0 = data
                for lexicon_entries_type_0_item_data in _lexicon_entries_type_0:
                    lexicon_entries_type_0_item = UsedEntry.from_dict(
                        lexicon_entries_type_0_item_data
                    )

                    lexicon_entries_type_0.append(lexicon_entries_type_0_item)

                return lexicon_entries_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UsedEntry] | None | Unset, data)

        lexicon_entries = _parse_lexicon_entries(d.pop("lexicon_entries", UNSET))

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))

        multi_role_request = cls(
            turns=turns,
            provider=provider,
            voice_assignments=voice_assignments,
            output_format=output_format,
            sample_rate=sample_rate,
            pause_ms=pause_ms,
            mastering=mastering,
            bitrate_kbps=bitrate_kbps,
            stems=stems,
            title=title,
            lexicons=lexicons,
            lexicon_entries=lexicon_entries,
            callback_url=callback_url,
        )

        return multi_role_request
