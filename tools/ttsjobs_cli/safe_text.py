"""Text the CLI did not write itself (titles, speakers, voice names, file names, the server's
error messages), made safe to print on a terminal through rich.

A terminal obeys what it is sent: an escape sequence in a job's title clears the screen, sets
the window's title or makes a live hyperlink (OSC 8), and rich reads ``[/bold]`` in it as markup
(and fails on a closing tag nothing opened). So every such string goes through ``shown``:
``plain`` first removes what a terminal would obey rather than show, then rich's own ``escape``
makes the markup print as typed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rich.console import Console
from rich.markup import escape

console = Console(emoji=False)
"""The CLI's one console: ``emoji=False``, since ``:warning:`` in a title is text, not a code."""

# Whole sequences go, not only their ESC: "\x1b[2J" would otherwise still show "[2J", and an OSC 8
# link's target would be left in the text. Each form has a C1 twin (\x9b is ESC [, \x9d ESC ]).
_SEQUENCES = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]?                          # CSI: erase, move, colour
    | (?:\x1b[]PX^_]|[\x9d\x90\x98\x9e\x9f]) .*? (?:\x07|\x1b\\|\x9c|\Z)  # OSC, DCS, SOS, PM, APC
    | \x1b [ -/]* [0-~]?                                          # the rest: ESC c, ESC ( B…
    """,
    re.VERBOSE | re.DOTALL,
)
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_LINE_ENDS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Every other C0 and C1 control, DEL, and the bidi controls that reorder what a line shows
# (U+202E makes "\u202eecilA" read "Alice").
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(value: object, *, lines: bool = False) -> str:
    """``value`` as text without controls. Line breaks and tabs become one space, unless
    ``lines``: then every line break is a newline and tabs stay (a multi-line message)."""
    text = _SEQUENCES.sub("", str(value))
    text = _LINE_ENDS.sub("\n", text) if lines else _BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text)


def shown(value: object, *, lines: bool = False) -> str:
    """``value`` ready for a rich string that may hold the CLI's own markup: ``plain``, then
    its markup escaped, so ``oops [/bold] crash`` prints as exactly that."""
    return escape(plain(value, lines=lines))


# JSON escapes C0 controls itself; these it leaves raw.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_shown(data: Any) -> str:
    """Indented JSON of ``data`` that holds no control a terminal obeys: each is written as a
    JSON escape, so the output still reads back as ``data``."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_RAW.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
