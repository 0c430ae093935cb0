from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ParseScriptJsonScriptText")


@_attrs_define
class ParseScriptJsonScriptText:
    """
    Attributes:
        script (str): a script: `Alice: Hello.` lines, `[pause 1s]`, `# voice Alice: af_heart`, a first `# title` line
            (see the README)
    """

    script: str

    def to_dict(self) -> dict[str, Any]:
        script = self.script

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "script": script,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        script = d.pop("script")

        parse_script_json_script_text = cls(
            script=script,
        )

        return parse_script_json_script_text
