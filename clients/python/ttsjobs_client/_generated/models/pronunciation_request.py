from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reading import Reading
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.used_entry import UsedEntry


T = TypeVar("T", bound="PronunciationRequest")


@_attrs_define
class PronunciationRequest:
    """
    Attributes:
        text (str):
        voice (None | str | Unset):
        provider (None | str | Unset):
        language (None | str | Unset): BCP 47, when no voice is named
        reading (None | Reading | Unset): taiwan or mainland; by default as a job would read it
        lexicons (list[str] | Unset):
        lexicon_entries (list[UsedEntry] | None | Unset): a stored job's entries, used instead of `lexicons`
    """

    text: str
    voice: None | str | Unset = UNSET
    provider: None | str | Unset = UNSET
    language: None | str | Unset = UNSET
    reading: None | Reading | Unset = UNSET
    lexicons: list[str] | Unset = UNSET
    lexicon_entries: list[UsedEntry] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        voice: None | str | Unset
        if isinstance(self.voice, Unset):
            voice = UNSET
        else:
            voice = self.voice

        provider: None | str | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        reading: None | str | Unset
        if isinstance(self.reading, Unset):
            reading = UNSET
        elif isinstance(self.reading, Reading):
            reading = self.reading.value
        else:
            reading = self.reading

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
            }
        )
        if voice is not UNSET:
            field_dict["voice"] = voice
        if provider is not UNSET:
            field_dict["provider"] = provider
        if language is not UNSET:
            field_dict["language"] = language
        if reading is not UNSET:
            field_dict["reading"] = reading
        if lexicons is not UNSET:
            field_dict["lexicons"] = lexicons
        if lexicon_entries is not UNSET:
            field_dict["lexicon_entries"] = lexicon_entries

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.used_entry import UsedEntry  # noqa: PLC0415

        d = dict(src_dict)
        text = d.pop("text")

        def _parse_voice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        voice = _parse_voice(d.pop("voice", UNSET))

        def _parse_provider(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider = _parse_provider(d.pop("provider", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

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

        pronunciation_request = cls(
            text=text,
            voice=voice,
            provider=provider,
            language=language,
            reading=reading,
            lexicons=lexicons,
            lexicon_entries=lexicon_entries,
        )

        return pronunciation_request
