from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobLinks")


@_attrs_define
class JobLinks:
    """
    Attributes:
        self_ (str):
        download (None | str | Unset):
        captions_vtt (None | str | Unset):
        captions_srt (None | str | Unset):
        chapters_vtt (None | str | Unset): only when the job has chapters
        chapters_json (None | str | Unset): Podcasting 2.0 JSON chapters
        stems (None | str | Unset): only when the job asked for stems
        captions_words (None | str | Unset): word-level WebVTT (karaoke timestamps), where words are timed
        alignment (None | str | Unset): each character's start and end (JSON), where words are timed
    """

    self_: str
    download: None | str | Unset = UNSET
    captions_vtt: None | str | Unset = UNSET
    captions_srt: None | str | Unset = UNSET
    chapters_vtt: None | str | Unset = UNSET
    chapters_json: None | str | Unset = UNSET
    stems: None | str | Unset = UNSET
    captions_words: None | str | Unset = UNSET
    alignment: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        self_ = self.self_

        download: None | str | Unset
        if isinstance(self.download, Unset):
            download = UNSET
        else:
            download = self.download

        captions_vtt: None | str | Unset
        if isinstance(self.captions_vtt, Unset):
            captions_vtt = UNSET
        else:
            captions_vtt = self.captions_vtt

        captions_srt: None | str | Unset
        if isinstance(self.captions_srt, Unset):
            captions_srt = UNSET
        else:
            captions_srt = self.captions_srt

        chapters_vtt: None | str | Unset
        if isinstance(self.chapters_vtt, Unset):
            chapters_vtt = UNSET
        else:
            chapters_vtt = self.chapters_vtt

        chapters_json: None | str | Unset
        if isinstance(self.chapters_json, Unset):
            chapters_json = UNSET
        else:
            chapters_json = self.chapters_json

        stems: None | str | Unset
        if isinstance(self.stems, Unset):
            stems = UNSET
        else:
            stems = self.stems

        captions_words: None | str | Unset
        if isinstance(self.captions_words, Unset):
            captions_words = UNSET
        else:
            captions_words = self.captions_words

        alignment: None | str | Unset
        if isinstance(self.alignment, Unset):
            alignment = UNSET
        else:
            alignment = self.alignment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "self": self_,
            }
        )
        if download is not UNSET:
            field_dict["download"] = download
        if captions_vtt is not UNSET:
            field_dict["captions_vtt"] = captions_vtt
        if captions_srt is not UNSET:
            field_dict["captions_srt"] = captions_srt
        if chapters_vtt is not UNSET:
            field_dict["chapters_vtt"] = chapters_vtt
        if chapters_json is not UNSET:
            field_dict["chapters_json"] = chapters_json
        if stems is not UNSET:
            field_dict["stems"] = stems
        if captions_words is not UNSET:
            field_dict["captions_words"] = captions_words
        if alignment is not UNSET:
            field_dict["alignment"] = alignment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        self_ = d.pop("self")

        def _parse_download(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        download = _parse_download(d.pop("download", UNSET))

        def _parse_captions_vtt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        captions_vtt = _parse_captions_vtt(d.pop("captions_vtt", UNSET))

        def _parse_captions_srt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        captions_srt = _parse_captions_srt(d.pop("captions_srt", UNSET))

        def _parse_chapters_vtt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        chapters_vtt = _parse_chapters_vtt(d.pop("chapters_vtt", UNSET))

        def _parse_chapters_json(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        chapters_json = _parse_chapters_json(d.pop("chapters_json", UNSET))

        def _parse_stems(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stems = _parse_stems(d.pop("stems", UNSET))

        def _parse_captions_words(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        captions_words = _parse_captions_words(d.pop("captions_words", UNSET))

        def _parse_alignment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alignment = _parse_alignment(d.pop("alignment", UNSET))

        job_links = cls(
            self_=self_,
            download=download,
            captions_vtt=captions_vtt,
            captions_srt=captions_srt,
            chapters_vtt=chapters_vtt,
            chapters_json=chapters_json,
            stems=stems,
            captions_words=captions_words,
            alignment=alignment,
        )

        job_links.additional_properties = d
        return job_links

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
