"""Hostile and broken uploads: each is a LexiconProblem with a clear message naming the field,
no entity is ever expanded, and no file is ever opened."""

# The case tables below read best as one case a line, input beside the answer it must get.
# ruff: noqa: E501

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ttsjobs.contracts.lexicon import LEXICON_MAX_BYTES
from ttsjobs.lexicons.json_form import parse_json
from ttsjobs.lexicons.pls import parse_pls
from ttsjobs.lexicons.problems import LexiconProblem

SECRET = "s3cret-that-must-never-be-read"
PLS = 'xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" version="1.0" alphabet="ipa"'

# Audit hooks cannot be removed, so one hook for the session records opens of watched paths.
_WATCHED: set[str] = set()
_OPENED: list[str] = []


def _record_opens(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _WATCHED and args and str(args[0]) in _WATCHED:
        _OPENED.append(str(args[0]))


sys.addaudithook(_record_opens)


@pytest.fixture
def secret_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    _WATCHED.add(str(path))
    _OPENED.clear()
    yield path
    _WATCHED.discard(str(path))
    assert _OPENED == [], "the parser opened the file an entity pointed at"


def test_the_open_watch_sees_an_open(secret_file: Path) -> None:
    # Without this, a watch that saw nothing would make the tests below pass for no reason.
    assert secret_file.read_text() == SECRET
    assert _OPENED == [str(secret_file)]
    _OPENED.clear()


def _refused(data: bytes) -> LexiconProblem:
    with pytest.raises(LexiconProblem) as caught:
        parse_pls(data)
    assert SECRET not in str(caught.value)
    return caught.value


def test_billion_laughs_is_refused_unexpanded() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    data = (
        f"<?xml version='1.0'?><!DOCTYPE lexicon [{entities}]>"
        f"<lexicon {PLS}><lexeme><grapheme>&lol9;</grapheme><alias>x</alias></lexeme></lexicon>"
    ).encode()
    problem = _refused(data)
    assert (problem.field, problem.message) == (
        "body",
        "a lexicon may not have a DTD (<!DOCTYPE ...>)",
    )
    assert "lollol" not in str(problem)


def test_external_entity_is_refused_and_the_file_never_opened(secret_file: Path) -> None:
    data = (
        f'<?xml version="1.0"?><!DOCTYPE lexicon [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
        f"<lexicon {PLS}><lexeme><grapheme>a</grapheme><alias>&xxe;</alias></lexeme></lexicon>"
    ).encode()
    problem = _refused(data)
    assert problem.field == "body"
    assert "DTD" in problem.message


def test_external_dtd_is_refused_and_never_fetched(secret_file: Path) -> None:
    data = (
        f'<?xml version="1.0"?><!DOCTYPE lexicon SYSTEM "file://{secret_file}">'
        f"<lexicon {PLS}><lexeme><grapheme>a</grapheme><alias>b</alias></lexeme></lexicon>"
    ).encode()
    assert "DTD" in _refused(data).message


def test_parameter_entity_is_refused(secret_file: Path) -> None:
    data = (
        f'<!DOCTYPE lexicon [<!ENTITY % p SYSTEM "file://{secret_file}"> %p;]><lexicon {PLS}/>'
    ).encode()
    assert _refused(data).field == "body"


def test_an_undeclared_entity_is_not_well_formed() -> None:
    data = f"<lexicon {PLS}><lexeme><grapheme>&xxe;</grapheme><alias>b</alias></lexeme></lexicon>"
    problem = _refused(data.encode())
    assert problem.message.startswith("not well-formed XML: undefined entity")


def test_xinclude_is_never_processed(secret_file: Path) -> None:
    data = (
        f'<lexicon {PLS} xmlns:xi="http://www.w3.org/2001/XInclude"><lexeme>'
        f'<grapheme>a</grapheme><alias>b<xi:include href="file://{secret_file}" parse="text"/>'
        "</alias></lexeme></lexicon>"
    ).encode()
    lexicon = parse_pls(data)
    assert SECRET not in lexicon.model_dump_json()
    assert lexicon.entries[0].alias == "b"


def test_ten_megabytes_is_refused_before_parsing() -> None:
    # A DTD in front proves the parser never saw it: the size answers first.
    data = (
        b"<!DOCTYPE lexicon [<!ENTITY a 'b'>]><lexicon>" + b" " * (10 * 1024 * 1024) + b"</lexicon>"
    )
    problem = _refused(data)
    assert problem.field == "body"
    assert problem.message == (
        f"a lexicon is at most {LEXICON_MAX_BYTES} bytes; this one is {len(data)}"
    )


def test_ten_thousand_deep_is_refused_without_recursion() -> None:
    data = (f"<lexicon {PLS}>" + "<lexeme>" * 10_000 + "</lexeme>" * 10_000 + "</lexicon>").encode()
    assert len(data) < LEXICON_MAX_BYTES
    problem = _refused(data)
    assert problem.message == "elements nest deeper than 8; PLS nests 3 deep"


def test_just_over_the_size_cap_is_refused_and_at_it_is_read() -> None:
    head = f"<lexicon {PLS}><lexeme><grapheme>a</grapheme><alias>b</alias></lexeme>".encode()
    tail = b"</lexicon>"
    at_cap = head + b" " * (LEXICON_MAX_BYTES - len(head) - len(tail)) + tail
    assert len(at_cap) == LEXICON_MAX_BYTES
    assert parse_pls(at_cap).entries[0].alias == "b"
    assert "at most" in _refused(at_cap + b" ").message


@pytest.mark.parametrize(
    ("data", "field", "start"),
    [
        (b"", "body", "the lexicon is empty"),
        (b"just some words", "body", "not well-formed XML: syntax error"),
        (b'{"entries": []}', "body", "not well-formed XML"),
        (b"<speak version='1.0'/>", "body", "the root element is <speak>, not <lexicon>"),
        (f"<lexicon {PLS}>\x00</lexicon>".encode(), "body", "not well-formed XML: not well-formed"),
        (f"<lexicon {PLS}><lexeme><grapheme>&#xD800;</grapheme><alias>a</alias></lexeme></lexicon>".encode(), "body", "not well-formed XML: reference to invalid character"),
        (b"<lexicon><lexeme>", "body", "not well-formed XML: no element found"),
        (b"\xff\xfe<\x00", "body", "not well-formed XML"),
        (b'<lexicon version="2.0"/>', "lexicon.version", "PLS version '2.0'; only 1.0 is read"),
        (b'<lexicon alphabet="klingon"/>', "lexicon.alphabet", "unknown alphabet 'klingon'; use one of ipa, x-sampa"),
        (b'<lexicon alphabet="x-microsoft-ups"/>', "lexicon.alphabet", "alphabet 'x-microsoft-ups' (Azure's Universal Phone Set) is not supported"),
        (b'<lexicon alphabet="x-microsoft-sapi" xml:lang="en-US"/>', "lexicon.alphabet", "alphabet 'x-microsoft-sapi' is Azure's phone set for en-US"),
        (b"<lexicon><lexeme><alias>b</alias></lexeme></lexicon>", "lexeme[0].grapheme", "a lexeme needs at least one <grapheme>"),
        (b"<lexicon><lexeme><grapheme>a</grapheme></lexeme></lexicon>", "lexeme[0]", "a lexeme needs an <alias> or a <phoneme>"),
        (b"<lexicon><lexeme><grapheme>a</grapheme><alias>b</alias></lexeme><lexeme><grapheme>c</grapheme><phoneme alphabet='pinyin'>xx1</phoneme></lexeme></lexicon>", "lexeme[1].phoneme", "unknown pinyin syllable 'xx'"),
        (b"<lexicon><lexeme><grapheme>a</grapheme><phoneme alphabet='cmu-arpabet'>AE4</phoneme></lexeme></lexicon>", "lexeme[0].phoneme", "CMU ARPAbet has no phoneme 'AE4'"),
        (b"<lexicon alphabet='cmu-arpabet'><lexeme><grapheme>a</grapheme><phoneme>AE1 XX</phoneme></lexeme></lexicon>", "lexeme[0].phoneme", "CMU ARPAbet has no phoneme 'XX'"),
        (b"<lexicon><lexeme><grapheme>a</grapheme><phoneme alphabet='x-microsoft-ups'>AE</phoneme></lexeme></lexicon>", "lexeme[0].phoneme.alphabet", "alphabet 'x-microsoft-ups' (Azure's Universal Phone Set) is not supported"),
        (b"<lexicon alphabet='x-sampa'><lexeme><grapheme>a</grapheme><phoneme>a#</phoneme></lexeme></lexicon>", "lexeme[0].phoneme", "X-SAMPA has no symbol '#' (U+0023) at 1"),
        (b"<lexicon><lexeme><grapheme></grapheme><alias>b</alias></lexeme></lexicon>", "lexeme[0].grapheme", "String should have at least 1 character"),
        (("<lexicon><lexeme><grapheme>" + "x" * 101 + "</grapheme><alias>b</alias></lexeme></lexicon>").encode(), "lexeme[0].grapheme", "String should have at most 100 characters"),
        (b"<lexicon><lexeme><grapheme>a</grapheme><alias>\xef\xbf\xbe</alias></lexeme></lexicon>", "body", "not well-formed XML"),
    ],
)  # fmt: skip
def test_broken_pls_names_the_field(data: bytes, field: str, start: str) -> None:
    problem = _refused(data)
    assert problem.field == field
    assert problem.message.startswith(start), problem.message


def test_too_many_graphemes_is_refused() -> None:
    graphemes = "<grapheme>a</grapheme>" * 10_001
    problem = _refused(f"<lexicon><lexeme>{graphemes}<alias>c</alias></lexeme></lexicon>".encode())
    assert (problem.field, problem.message) == (
        "lexeme[0]",
        "a lexicon holds at most 10000 graphemes",
    )


@pytest.mark.parametrize(
    ("data", "field", "start"),
    [
        (b"", "body", "not JSON"),
        (b"[]", "body", "a JSON lexicon is an object with entries (or rules)"),
        (b"{", "body", "not JSON: Expecting property name"),
        (b"\xc3\x28", "body", "not UTF-8 text"),
        (b"[" * 150_000 + b"]" * 150_000, "body", "a lexicon is at most"),
        (b"[" * 50_000 + b"]" * 50_000, "body", "JSON nested too deep for a lexicon"),
        (b'{"entries": [{"grapheme": "\\ud800", "alias": "x"}]}', "entries[0].grapheme", "contains a lone surrogate (U+D800)"),
        (b'{"entries": [{"grapheme": "a\\u0000", "alias": "x"}]}', "entries[0].grapheme", "contains NUL"),
        (b'{"entries": [{"grapheme": "a"}]}', "entries[0]", "an entry needs an alias or a phoneme"),
        (b'{"entries": [{"grapheme": "a\\u0001", "alias": "x"}]}', "entries[0].grapheme", "holds control character U+0001 at 1, which a lexicon cannot keep"),
        (b'{"entries": [{"grapheme": "a", "alias": "x\\ry"}]}', "entries[0].alias", "holds control character U+000D at 1"),
        (b'{"language": "zh\\u001bTW", "entries": []}', "language", "holds control character U+001B at 2"),
        (b'{"entries": [{"grapheme": "a", "alias": "   "}]}', "entries[0].alias", "String should have at least 1 character"),
        (b'{"entries": [{"grapheme": "   ", "alias": "b"}]}', "entries[0].grapheme", "String should have at least 1 character"),
        (b'{"entries": [{"grapheme": "a", "alias": "b", "extra": 1}]}', "entries[0].extra", "Extra inputs are not permitted"),
        (b'{"entries": [], "alphabet": "klingon"}', "alphabet", "unknown alphabet 'klingon'"),
        (b'{"entries": [{"grapheme": "a", "phoneme": "b", "alphabet": "ups"}]}', "entries[0].alphabet", "alphabet 'ups' (Azure's Universal Phone Set) is not supported"),
        (b'{"alphabet": "pinyin", "entries": [{"grapheme": "a", "alias": "b"}, {"grapheme": "c", "phoneme": "hang"}]}', "entries[1].phoneme", "pinyin 'hang' needs a tone number 1-5"),
        (b'{"rules": [{"type": "alias", "string_to_replace": "a", "alias": "b", "case_sensitive": false}]}', "rules[0].case_sensitive", "only true"),
        (b'{"rules": [{"type": "alias", "string_to_replace": "a"}]}', "rules[0].alias", "Field required"),
        (b'{"rules": [{"type": "phoneme", "string_to_replace": "a", "phoneme": "AE9", "alphabet": "cmu-arpabet"}]}', "rules[0].phoneme", "CMU ARPAbet has no phoneme 'AE9'"),
        (b'{"rules": [{"type": "phoneme", "string_to_replace": "a", "phoneme": "AE1", "alphabet": "sampa"}]}', "rules[0].alphabet", "unknown alphabet 'sampa'"),
        (b'{"alphabet": "cmu-arpabet", "entries": [{"grapheme": "a", "phoneme": "AE1 Q"}]}', "entries[0].phoneme", "CMU ARPAbet has no phoneme 'Q'"),
        (b'{"rules": [{"type": "phoneme", "string_to_replace": "", "phoneme": "a", "alphabet": "ipa"}]}', "rules[0].string_to_replace", "String should have at least 1 character"),
        (b'{"rules": [{"type": "shout", "string_to_replace": "a"}]}', "rules[0]", "Input tag 'shout'"),
    ],
)  # fmt: skip
def test_broken_json_names_the_field(data: bytes, field: str, start: str) -> None:
    with pytest.raises(LexiconProblem) as caught:
        parse_json(data)
    assert caught.value.field == field
    assert caught.value.message.startswith(start), caught.value.message
