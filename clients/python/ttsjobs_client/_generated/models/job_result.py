from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audio_object import AudioObject
    from ..models.caption_file import CaptionFile
    from ..models.chapter import Chapter
    from ..models.loudness import Loudness
    from ..models.stems_archive import StemsArchive
    from ..models.timing_object import TimingObject
    from ..models.turn_timing import TurnTiming


T = TypeVar("T", bound="JobResult")


@_attrs_define
class JobResult:
    """
    Attributes:
        duration_ms (int): length of the audio
        latency_ms (int): from the job's start to its audio being stored
        turn_timings (list[TurnTiming]):
        audio (AudioObject):
        captions (list[CaptionFile] | Unset): v1 only: caption files stored beside the audio. Since v2 none are stored;
            the captions are rendered on request from turn_timings
        cache_hits (int | Unset): turns reused from the segment cache Default: 0.
        chapters (list[Chapter] | Unset): the chapters written into the audio, from the turns that start one
        stems (None | StemsArchive | Unset): a zip of one FLAC track per speaker, each as long as the audio and silent
            where others speak, before mastering; none unless the job asked for stems
        loudness (Loudness | None | Unset): how loud the audio is, as measured; none on older jobs
        timing (None | TimingObject | Unset): when each word and character is spoken: an object of its own beside the
            audio (word captions are rendered from it); none when the engine gives no timing
    """

    duration_ms: int
    latency_ms: int
    turn_timings: list[TurnTiming]
    audio: AudioObject
    captions: list[CaptionFile] | Unset = UNSET
    cache_hits: int | Unset = 0
    chapters: list[Chapter] | Unset = UNSET
    stems: None | StemsArchive | Unset = UNSET
    loudness: Loudness | None | Unset = UNSET
    timing: None | TimingObject | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.loudness import Loudness  # noqa: PLC0415
        from ..models.stems_archive import StemsArchive  # noqa: PLC0415
        from ..models.timing_object import TimingObject  # noqa: PLC0415

        duration_ms = self.duration_ms

        latency_ms = self.latency_ms

        turn_timings = []
        for turn_timings_item_data in self.turn_timings:
            turn_timings_item = turn_timings_item_data.to_dict()
            turn_timings.append(turn_timings_item)

        audio = self.audio.to_dict()

        captions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.captions, Unset):
            captions = []
            for captions_item_data in self.captions:
                captions_item = captions_item_data.to_dict()
                captions.append(captions_item)

        cache_hits = self.cache_hits

        chapters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.chapters, Unset):
            chapters = []
            for chapters_item_data in self.chapters:
                chapters_item = chapters_item_data.to_dict()
                chapters.append(chapters_item)

        stems: dict[str, Any] | None | Unset
        if isinstance(self.stems, Unset):
            stems = UNSET
        elif isinstance(self.stems, StemsArchive):
            stems = self.stems.to_dict()
        else:
            stems = self.stems

        loudness: dict[str, Any] | None | Unset
        if isinstance(self.loudness, Unset):
            loudness = UNSET
        elif isinstance(self.loudness, Loudness):
            loudness = self.loudness.to_dict()
        else:
            loudness = self.loudness

        timing: dict[str, Any] | None | Unset
        if isinstance(self.timing, Unset):
            timing = UNSET
        elif isinstance(self.timing, TimingObject):
            timing = self.timing.to_dict()
        else:
            timing = self.timing

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "duration_ms": duration_ms,
                "latency_ms": latency_ms,
                "turn_timings": turn_timings,
                "audio": audio,
            }
        )
        if captions is not UNSET:
            field_dict["captions"] = captions
        if cache_hits is not UNSET:
            field_dict["cache_hits"] = cache_hits
        if chapters is not UNSET:
            field_dict["chapters"] = chapters
        if stems is not UNSET:
            field_dict["stems"] = stems
        if loudness is not UNSET:
            field_dict["loudness"] = loudness
        if timing is not UNSET:
            field_dict["timing"] = timing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audio_object import AudioObject  # noqa: PLC0415
        from ..models.caption_file import CaptionFile  # noqa: PLC0415
        from ..models.chapter import Chapter  # noqa: PLC0415
        from ..models.loudness import Loudness  # noqa: PLC0415
        from ..models.stems_archive import StemsArchive  # noqa: PLC0415
        from ..models.timing_object import TimingObject  # noqa: PLC0415
        from ..models.turn_timing import TurnTiming  # noqa: PLC0415

        d = dict(src_dict)
        duration_ms = d.pop("duration_ms")

        latency_ms = d.pop("latency_ms")

        turn_timings = []
        _turn_timings = d.pop("turn_timings")
        for turn_timings_item_data in _turn_timings:
            turn_timings_item = TurnTiming.from_dict(turn_timings_item_data)

            turn_timings.append(turn_timings_item)

        audio = AudioObject.from_dict(d.pop("audio"))

        _captions = d.pop("captions", UNSET)
        captions: list[CaptionFile] | Unset = UNSET
        if _captions is not UNSET:
            captions = []
            for captions_item_data in _captions:
                captions_item = CaptionFile.from_dict(captions_item_data)

                captions.append(captions_item)

        cache_hits = d.pop("cache_hits", UNSET)

        _chapters = d.pop("chapters", UNSET)
        chapters: list[Chapter] | Unset = UNSET
        if _chapters is not UNSET:
            chapters = []
            for chapters_item_data in _chapters:
                chapters_item = Chapter.from_dict(chapters_item_data)

                chapters.append(chapters_item)

        def _parse_stems(data: object) -> None | StemsArchive | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                stems_type_0 = StemsArchive.from_dict(data)

                return stems_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StemsArchive | Unset, data)

        stems = _parse_stems(d.pop("stems", UNSET))

        def _parse_loudness(data: object) -> Loudness | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                loudness_type_0 = Loudness.from_dict(data)

                return loudness_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Loudness | None | Unset, data)

        loudness = _parse_loudness(d.pop("loudness", UNSET))

        def _parse_timing(data: object) -> None | TimingObject | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                timing_type_0 = TimingObject.from_dict(data)

                return timing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TimingObject | Unset, data)

        timing = _parse_timing(d.pop("timing", UNSET))

        job_result = cls(
            duration_ms=duration_ms,
            latency_ms=latency_ms,
            turn_timings=turn_timings,
            audio=audio,
            captions=captions,
            cache_hits=cache_hits,
            chapters=chapters,
            stems=stems,
            loudness=loudness,
            timing=timing,
        )

        return job_result
