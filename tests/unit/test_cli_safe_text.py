"""What the CLI prints of others' strings: markup as typed, and nothing a terminal would obey."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console
from rich.table import Table

from ttsjobs_cli.safe_text import json_shown, plain, shown

# What a terminal obeys: ESC and the C1 controls (a UTF-8 terminal may read U+009B as CSI).
OBEYED = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE = {
    "markup": ("oops [/bold] crash", "oops [/bold] crash"),
    "a bare close": ("[/]", "[/]"),
    "a link": ("[link=https://evil]x[/link]", "[link=https://evil]x[/link]"),
    "a trailing backslash": ("C:\\temp\\", "C:\\temp\\"),
    "an emoji code": (":warning: hot", ":warning: hot"),
    "erase the screen": ("a\x1b[2Jb", "ab"),
    "colour": ("\x1b[31;1mred\x1b[0m", "red"),
    "a window title": ("\x1b]0;pwned\x07title", "title"),
    "a title ended by ST": ("\x1b]2;pwned\x1b\\title", "title"),
    "an OSC 8 hyperlink": ("\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"),
    "C1 CSI": ("\x9b2Jx", "x"),
    "C1 OSC": ("\x9d0;pwned\x9cy", "y"),
    "C1 OSC ended by BEL": ("\x9d8;;http://evil\x07z", "z"),
    "an unterminated OSC": ("keep \x1b]0;the rest", "keep "),
    "a DCS string": ("\x1bPq#0;2;0;0;0\x1b\\after", "after"),
    "a reset": ("\x1bcafter", "after"),
    "a lone ESC": ("end\x1b", "end"),
    "a bidi override": ("\u202eecilA", "ecilA"),
    "isolates": ("\u2066a\u2069\u2067b\u2069", "ab"),
    "bell, backspace, DEL, NUL": ("a\x07b\x08c\x7fd\x00e", "abcde"),
    "carriage return": ("safe\rEVIL", "safe EVIL"),
    "line breaks": ("one\ntwo\u2028three\x85four", "one two three four"),
    "Chinese": ("早安會議", "早安會議"),
}


@pytest.mark.parametrize(("given", "kept"), HOSTILE.values(), ids=HOSTILE.keys())
def test_plain_keeps_the_text_and_drops_what_a_terminal_obeys(given, kept):
    assert plain(given) == kept


@pytest.mark.parametrize(("given", "kept"), HOSTILE.values(), ids=HOSTILE.keys())
def test_shown_prints_as_typed_in_markup_and_in_a_table(given, kept):
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None, emoji=False)
    console.print(f"[bold]title:[/bold] {shown(given)}")
    table = Table("title")
    table.add_row(shown(given))
    console.print(table)
    printed = out.getvalue()
    assert not OBEYED.search(printed)
    assert f"title: {kept}" in printed
    assert kept.strip() in printed.split("\n", 1)[1]


def test_a_message_keeps_its_lines_and_tabs():
    assert plain("line 1:\tbad\r\nline 2\u2029\x1b[2Jend", lines=True) == (
        "line 1:\tbad\nline 2\nend"
    )


def test_json_shown_reads_back_as_the_data_and_obeys_nothing():
    data = {"title": "\x9b2J\u202e\x1b]0;x\x07早安 [/]", "n": 1}
    text = json_shown(data)
    assert json.loads(text) == data
    assert not OBEYED.search(text)
    assert "早安 [/]" in text  # readable text stays as it is
