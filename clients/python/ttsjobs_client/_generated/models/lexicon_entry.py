from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.alphabet import Alphabet
from ..types import UNSET, Unset

T = TypeVar("T", bound="LexiconEntry")


@_attrs_define
class LexiconEntry:
    """
    Attributes:
        grapheme (str): the text as written; case-sensitive
        alias (None | str | Unset): other text to say instead
        phoneme (None | str | Unset): the reading, in `alphabet`
        alphabet (Alphabet | None | Unset): the phoneme's alphabet; else the lexicon's
    """

    grapheme: str
    alias: None | str | Unset = UNSET
    phoneme: None | str | Unset = UNSET
    alphabet: Alphabet | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        grapheme = self.grapheme

        alias: None | str | Unset
        if isinstance(self.alias, Unset):
            alias = UNSET
        else:
            alias = self.alias

        phoneme: None | str | Unset
        if isinstance(self.phoneme, Unset):
            phoneme = UNSET
        else:
            phoneme = self.phoneme

        alphabet: None | str | Unset
        if isinstance(self.alphabet, Unset):
            alphabet = UNSET
        elif isinstance(self.alphabet, Alphabet):
            alphabet = self.alphabet.value
        else:
            alphabet = self.alphabet

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "grapheme": grapheme,
            }
        )
        if alias is not UNSET:
            field_dict["alias"] = alias
        if phoneme is not UNSET:
            field_dict["phoneme"] = phoneme
        if alphabet is not UNSET:
            field_dict["alphabet"] = alphabet

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grapheme = d.pop("grapheme")

        def _parse_alias(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alias = _parse_alias(d.pop("alias", UNSET))

        def _parse_phoneme(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phoneme = _parse_phoneme(d.pop("phoneme", UNSET))

        def _parse_alphabet(data: object) -> Alphabet | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                alphabet_type_0 = Alphabet(data)

                return alphabet_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Alphabet | None | Unset, data)

        alphabet = _parse_alphabet(d.pop("alphabet", UNSET))

        lexicon_entry = cls(
            grapheme=grapheme,
            alias=alias,
            phoneme=phoneme,
            alphabet=alphabet,
        )

        return lexicon_entry
