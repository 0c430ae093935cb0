from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.gender import Gender
from ..models.mastering import Mastering
from ..models.output_format import OutputFormat
from ..models.reading import Reading
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.used_entry import UsedEntry


T = TypeVar("T", bound="SingleRequest")


@_attrs_define
class SingleRequest:
    """A long text read by one voice; a voice id, or a wish (language, gender) to cast from.

    Attributes:
        text (str): up to 100,000 characters; split at sentences
        voice (None | str | Unset):
        language (None | str | Unset): BCP 47; a wish when no voice is named
        gender (Gender | None | Unset): a wish when no voice is named
        speed (float | Unset): 1.0 is the voice's own pace Default: 1.0.
        pitch (float | Unset): 1.0 is the voice's own pitch Default: 1.0.
        volume (float | Unset): gain; 1.0 keeps it Default: 1.0.
        reading (None | Reading | Unset): how a Mandarin voice reads: taiwan or mainland (as in dialogues)
        lexicons (list[str] | Unset): your pronunciation lexicons this job uses; the first listed wins
        lexicon_entries (list[UsedEntry] | None | Unset): as in dialogues: the entries used, as they were at submit
        provider (None | str | Unset): the engine; without one, the best that has the voice
        output_format (OutputFormat | Unset):
        sample_rate (int | None | Unset): a rate of SAMPLE_RATES; else the voice's
        mastering (Mastering | Unset): What the job's finished mix is brought to (synthesis mastering.py).
        bitrate_kbps (int | None | Unset): as in dialogues
        pause_ms (int | None | Unset): silence between sentences; else 150 ms (600 ms after a paragraph)
        title (None | str | Unset):
        callback_url (None | str | Unset): as in multi-role jobs: gets the final event, signed
    """

    text: str
    voice: None | str | Unset = UNSET
    language: None | str | Unset = UNSET
    gender: Gender | None | Unset = UNSET
    speed: float | Unset = 1.0
    pitch: float | Unset = 1.0
    volume: float | Unset = 1.0
    reading: None | Reading | Unset = UNSET
    lexicons: list[str] | Unset = UNSET
    lexicon_entries: list[UsedEntry] | None | Unset = UNSET
    provider: None | str | Unset = UNSET
    output_format: OutputFormat | Unset = UNSET
    sample_rate: int | None | Unset = UNSET
    mastering: Mastering | Unset = UNSET
    bitrate_kbps: int | None | Unset = UNSET
    pause_ms: int | None | Unset = UNSET
    title: None | str | Unset = UNSET
    callback_url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        text = self.text

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

        mastering: str | Unset = UNSET
        if not isinstance(self.mastering, Unset):
            mastering = self.mastering.value

        bitrate_kbps: int | None | Unset
        if isinstance(self.bitrate_kbps, Unset):
            bitrate_kbps = UNSET
        else:
            bitrate_kbps = self.bitrate_kbps

        pause_ms: int | None | Unset
        if isinstance(self.pause_ms, Unset):
            pause_ms = UNSET
        else:
            pause_ms = self.pause_ms

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
            }
        )
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
        if lexicons is not UNSET:
            field_dict["lexicons"] = lexicons
        if lexicon_entries is not UNSET:
            field_dict["lexicon_entries"] = lexicon_entries
        if provider is not UNSET:
            field_dict["provider"] = provider
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if sample_rate is not UNSET:
            field_dict["sample_rate"] = sample_rate
        if mastering is not UNSET:
            field_dict["mastering"] = mastering
        if bitrate_kbps is not UNSET:
            field_dict["bitrate_kbps"] = bitrate_kbps
        if pause_ms is not UNSET:
            field_dict["pause_ms"] = pause_ms
        if title is not UNSET:
            field_dict["title"] = title
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url

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

        def _parse_pause_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pause_ms = _parse_pause_ms(d.pop("pause_ms", UNSET))

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))

        single_request = cls(
            text=text,
            voice=voice,
            language=language,
            gender=gender,
            speed=speed,
            pitch=pitch,
            volume=volume,
            reading=reading,
            lexicons=lexicons,
            lexicon_entries=lexicon_entries,
            provider=provider,
            output_format=output_format,
            sample_rate=sample_rate,
            mastering=mastering,
            bitrate_kbps=bitrate_kbps,
            pause_ms=pause_ms,
            title=title,
            callback_url=callback_url,
        )

        return single_request
