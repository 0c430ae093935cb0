"""Strings every store and engine can hold, checked once at the edge by the contracts.

PostgreSQL ``text`` and ``jsonb`` refuse NUL, UTF-8 (NATS, S3 keys, JSON on the wire) cannot
encode a lone surrogate, and Unicode's non-characters are reserved for a program's internal use,
never interchange. A request string that holds any of them would be accepted and then fail
somewhere downstream, so every string field of a request is a ``Text``, and ``Text`` refuses
them with a reason that names the code point.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

import regex
from pydantic import AfterValidator, BeforeValidator, StringConstraints, ValidationInfo

# NUL; every surrogate (in a decoded str a surrogate is always a lone one: a valid pair would
# have been decoded into one code point); U+FDD0..U+FDEF; and the last two code points of every
# plane (U+FFFE, U+FFFF, U+1FFFE, ... U+10FFFF).
_UNSTORABLE = re.compile(
    "[\x00\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def unstorable(value: str) -> tuple[int, str] | None:
    """(index, code point as U+XXXX) of the first character no store can hold, if any."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    return found.start(), f"U+{ord(found.group()):04X}"


def shown(value: str) -> str:
    """``value`` with each unstorable character spelled as an escape, safe to echo in JSON."""
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def _kind(char: str) -> str:
    if char == "\x00":
        return "NUL"
    return "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a Unicode non-character"


RECORDED = {"recorded": True}
"""Validation context for events read back from a stream: what is recorded is decoded as it
was written (an event older than this check, or from another producer, may hold such a
string), so that the projection can mark what it cannot store and the gateway can still
answer that job from its events. Only new requests are refused."""


def _storable(value: Any, info: ValidationInfo) -> Any:
    # Before the str validator: pydantic-core cannot take a lone surrogate into its own string
    # type and would answer with a vaguer reason. Anything not a str is left to it to refuse.
    if info.context and info.context.get("recorded"):
        return value
    if isinstance(value, str) and (bad := unstorable(value)) is not None:
        index, code_point = bad
        raise ValueError(f"contains {_kind(value[index])} ({code_point}) at index {index}")
    return value


STORABLE = BeforeValidator(_storable)
"""The check itself, for a string type with bounds of its own: put bounds before it, as in
``Annotated[str, StringConstraints(max_length=200), STORABLE]``, so they are checked as string
lengths (after it, in an Optional, pydantic checks them as a generic length)."""

Text = Annotated[str, STORABLE]
"""A request string: any text except NUL, surrogates and Unicode non-characters."""


def nfc(value: str) -> str:
    """``value`` in Unicode's composed form (NFC), for matching only: what is stored and shown is
    what the user sent, since NFC rewrites CJK compatibility ideographs (U+F900 …) to others."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


# A letter or a number of any script: what an engine can say. Punctuation, symbols, spaces and
# format characters (ZWSP U+200B, WJ U+2060, BOM U+FEFF) alone are silence, or a failure later.
_SAYABLE = regex.compile(r"[\p{L}\p{N}]")
# Anything but whitespace and format characters: str.strip() keeps ZWSP, WJ and BOM.
_VISIBLE = regex.compile(r"[^\s\p{Cf}]")


def says_something(text: str) -> bool:
    """Whether ``text`` holds something to say: a letter or a number (General Category L or N)
    after NFC. The one definition of "not only punctuation" for every provider."""
    return _SAYABLE.search(nfc(text)) is not None


def blank(value: str) -> bool:
    """Whether ``value`` shows nothing: only whitespace and invisible format characters."""
    return _VISIBLE.search(value) is None


# C0 and C1 controls (tab and newline too: a name is one line) and the bidi controls that make
# text show other than it reads ("\u202eecilA" shows as "Alice"): LRE RLE PDF LRO RLO, LRI RLI
# FSI PDI, LRM RLM and the Arabic letter mark.
_NAME_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a speaker's name, or None."""
    if (found := _NAME_CONTROLS.search(value)) is not None:
        return (
            f"contains a control character (U+{ord(found.group()):04X}) at index "
            f"{found.start()}; a name is shown as it is written"
        )
    if blank(value):
        return "must not be blank"
    return None


def _a_name(value: str, info: ValidationInfo) -> str:
    if info.context and info.context.get("recorded"):
        return value
    if (problem := name_problem(value)) is not None:
        raise ValueError(problem)
    return value


SpeakerName = Annotated[
    str, StringConstraints(min_length=1, max_length=64), STORABLE, AfterValidator(_a_name)
]
"""A role in the dialogue; the same bound holds for a turn's speaker and a voice_assignments key.
No controls, no bidi controls, not blank."""


def _says_something(value: str, info: ValidationInfo) -> str:
    if info.context and info.context.get("recorded"):
        return value  # recorded before this check: read as it was written
    if blank(value):
        raise ValueError("must not be blank")
    if not says_something(value):
        raise ValueError(
            "has nothing to say: only punctuation, symbols, spaces or invisible characters"
        )
    return value


SAYS_SOMETHING = AfterValidator(_says_something)
"""For a text to be spoken: at least one letter or digit (see ``says_something``)."""
