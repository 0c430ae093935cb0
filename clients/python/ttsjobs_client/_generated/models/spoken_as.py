from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.alphabet import Alphabet
from ..models.say_as import SayAs
from ..types import UNSET, Unset

T = TypeVar("T", bound="SpokenAs")


@_attrs_define
class SpokenAs:
    """How the text in ``[char_start, char_end)`` is said: exactly one of an alias (``<sub>``),
    a phoneme string in ``alphabet`` (``<phoneme>``) or an interpretation (``<say-as>``).

        Attributes:
            char_start (int):
            char_end (int):
            alias (None | str | Unset):
            phoneme (None | str | Unset):
            alphabet (Alphabet | None | Unset):
            interpret_as (None | SayAs | Unset):
            format_ (None | str | Unset): say-as date's field order, e.g. ymd
    """

    char_start: int
    char_end: int
    alias: None | str | Unset = UNSET
    phoneme: None | str | Unset = UNSET
    alphabet: Alphabet | None | Unset = UNSET
    interpret_as: None | SayAs | Unset = UNSET
    format_: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        char_start = self.char_start

        char_end = self.char_end

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

        interpret_as: None | str | Unset
        if isinstance(self.interpret_as, Unset):
            interpret_as = UNSET
        elif isinstance(self.interpret_as, SayAs):
            interpret_as = self.interpret_as.value
        else:
            interpret_as = self.interpret_as

        format_: None | str | Unset
        if isinstance(self.format_, Unset):
            format_ = UNSET
        else:
            format_ = self.format_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "char_start": char_start,
                "char_end": char_end,
            }
        )
        if alias is not UNSET:
            field_dict["alias"] = alias
        if phoneme is not UNSET:
            field_dict["phoneme"] = phoneme
        if alphabet is not UNSET:
            field_dict["alphabet"] = alphabet
        if interpret_as is not UNSET:
            field_dict["interpret_as"] = interpret_as
        if format_ is not UNSET:
            field_dict["format"] = format_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        char_start = d.pop("char_start")

        char_end = d.pop("char_end")

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

        def _parse_interpret_as(data: object) -> None | SayAs | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                interpret_as_type_0 = SayAs(data)

                return interpret_as_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SayAs | Unset, data)

        interpret_as = _parse_interpret_as(d.pop("interpret_as", UNSET))

        def _parse_format_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        format_ = _parse_format_(d.pop("format", UNSET))

        spoken_as = cls(
            char_start=char_start,
            char_end=char_end,
            alias=alias,
            phoneme=phoneme,
            alphabet=alphabet,
            interpret_as=interpret_as,
            format_=format_,
        )

        return spoken_as
