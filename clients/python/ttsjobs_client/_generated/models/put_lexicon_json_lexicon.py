from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.alphabet import Alphabet
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lexicon_entry import LexiconEntry


T = TypeVar("T", bound="PutLexiconJsonLexicon")


@_attrs_define
class PutLexiconJsonLexicon:
    """
    Attributes:
        entries (list[LexiconEntry]):
        language (None | str | Unset): BCP 47, as PLS's xml:lang; informative
        alphabet (Alphabet | Unset):
    """

    entries: list[LexiconEntry]
    language: None | str | Unset = UNSET
    alphabet: Alphabet | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        alphabet: str | Unset = UNSET
        if not isinstance(self.alphabet, Unset):
            alphabet = self.alphabet.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "entries": entries,
            }
        )
        if language is not UNSET:
            field_dict["language"] = language
        if alphabet is not UNSET:
            field_dict["alphabet"] = alphabet

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lexicon_entry import LexiconEntry  # noqa: PLC0415

        d = dict(src_dict)
        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = LexiconEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        _alphabet = d.pop("alphabet", UNSET)
        alphabet: Alphabet | Unset
        if isinstance(_alphabet, Unset):
            alphabet = UNSET
        else:
            alphabet = Alphabet(_alphabet)

        put_lexicon_json_lexicon = cls(
            entries=entries,
            language=language,
            alphabet=alphabet,
        )

        return put_lexicon_json_lexicon
