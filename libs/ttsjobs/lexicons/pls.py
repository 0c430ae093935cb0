"""W3C PLS 1.0 lexicons in (``parse_pls``) and out (``export_pls``).

In: bytes as uploaded, refused before parsing when over ``max_bytes`` (LEXICON_MAX_BYTES
unless the caller says otherwise); parsed with defusedxml, which refuses any DTD, entity
declaration or external reference (so no billion laughs, no file read), while a depth count
over the parser's events refuses deep nesting before a tree is ever walked recursively. The
namespace may be PLS's or missing; alphabet names are read as alphabet_names.py says (Azure's
zh-TW "x-microsoft-sapi" is Bopomofo; ARPAbet is read into IPA), and every phoneme is checked
and normalised (alphabets.checked_phoneme). Each <lexeme> is flattened to one entry per
<grapheme>, with its first <alias> and its preferred (else first) <phoneme>; element text is
trimmed. Every refusal is a LexiconProblem naming where ("lexeme[3].phoneme").

Out: PLS 1.0 in our alphabet names, one <lexeme> per entry, such that
``parse_pls(export_pls(x)) == x``.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET  # building our own export only; parsing goes through defusedxml
from collections.abc import Iterator
from typing import NamedTuple

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET
from pydantic import ValidationError

from ttsjobs.contracts.lexicon import (
    LEXICON_MAX_BYTES,
    MAX_ENTRIES,
    Alphabet,
    Lexicon,
    LexiconEntry,
)
from ttsjobs.lexicons.alphabet_names import alphabet_named
from ttsjobs.lexicons.alphabets import checked_phoneme
from ttsjobs.lexicons.arpabet import arpabet_to_ipa, is_arpabet
from ttsjobs.lexicons.problems import LexiconProblem, from_validation

PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"
MEDIA_TYPE = "application/pls+xml"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# lexicon > lexeme > grapheme is PLS's whole depth; <meta>/<metadata> may hold a little more.
MAX_DEPTH = 8
# XML 1.0 can carry no C0 control but tab and newline (a carriage return it reads back as a
# newline); the unstorable rest (NUL, surrogates, non-characters) the model refuses itself.
_XML_UNFIT = re.compile("[\x01-\x08\x0b-\x1f]")


def xml_unfit(text: str) -> str | None:
    """Why ``text`` cannot travel in a PLS document, or None: the JSON form checks its strings
    with this, so that every lexicon we store can be exported as PLS and read back the same."""
    found = _XML_UNFIT.search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    return f"holds control character {code} at {found.start()}, which a lexicon cannot keep"


def parse_pls(data: bytes, *, max_bytes: int = LEXICON_MAX_BYTES) -> Lexicon:
    """A PLS 1.0 document -> our Lexicon, or LexiconProblem; a body over ``max_bytes`` is
    refused before it is parsed. PLS is wordier than the JSON we store (about 1.5-1.8 times
    for short entries), so a caller that caps the stored form may allow more here."""
    if len(data) > max_bytes:
        raise LexiconProblem(
            "body", f"a lexicon is at most {max_bytes} bytes; this one is {len(data)}"
        )
    if not data.strip():
        raise LexiconProblem("body", "the lexicon is empty")
    return _lexicon(_root(data))


def _root(data: bytes) -> ET.Element:
    try:
        events = SafeET.iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        depth = 0
        for event, _ in events:
            depth += 1 if event == "start" else -1
            if depth > MAX_DEPTH:
                raise LexiconProblem(
                    "body", f"elements nest deeper than {MAX_DEPTH}; PLS nests 3 deep"
                )
        root: ET.Element = events.root
        return root
    except DTDForbidden:
        raise LexiconProblem("body", "a lexicon may not have a DTD (<!DOCTYPE ...>)") from None
    except EntitiesForbidden:
        raise LexiconProblem("body", "a lexicon may not declare entities") from None
    except ExternalReferenceForbidden:
        raise LexiconProblem("body", "a lexicon may not refer to external files") from None
    except ET.ParseError as error:
        raise LexiconProblem("body", f"not well-formed XML: {error}") from None


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: ET.Element) -> str:
    # Only the element's own text: PLS's <grapheme>, <alias> and <phoneme> hold no markup.
    return (element.text or "").strip()


def _lexicon(root: ET.Element) -> Lexicon:
    if not isinstance(root.tag, str) or _local(root.tag) != "lexicon":
        raise LexiconProblem(
            "body", f"the root element is <{_local(str(root.tag))}>, not <lexicon>"
        )
    version = root.get("version")
    if version is not None and version.strip() != "1.0":
        raise LexiconProblem("lexicon.version", f"PLS version {version!r}; only 1.0 is read")
    language = (root.get(_XML_LANG) or "").strip() or None
    named = root.get("alphabet", "ipa")
    alphabet = alphabet_named(named, language=language, field="lexicon.alphabet")
    defaults = _Defaults(alphabet, language, is_arpabet(named))
    entries: list[LexiconEntry] = []
    for index, lexeme in enumerate(_children(root, "lexeme")):
        entries.extend(_entries(lexeme, f"lexeme[{index}]", defaults))
        if len(entries) > MAX_ENTRIES:
            raise LexiconProblem(
                f"lexeme[{index}]", f"a lexicon holds at most {MAX_ENTRIES} graphemes"
            )
    try:
        return Lexicon(language=language, alphabet=alphabet, entries=entries)
    except ValidationError as error:
        raise from_validation(error, prefix="lexicon") from None


class _Defaults(NamedTuple):
    """What the <lexicon> element says for every phoneme that does not say otherwise."""

    alphabet: Alphabet
    language: str | None
    arpabet: bool  # the alphabet was CMU ARPAbet, read into IPA


def _children(parent: ET.Element, name: str) -> Iterator[ET.Element]:
    # Children in the parent's namespace: other vocabularies (metadata, say) are skipped.
    namespace = _namespace(parent.tag)
    for child in parent:
        if isinstance(child.tag, str) and _local(child.tag) == name:
            if _namespace(child.tag) == namespace:
                yield child


def _preferred(phonemes: list[ET.Element]) -> ET.Element:
    preferred = [p for p in phonemes if (p.get("prefer") or "").strip() == "true"]
    return (preferred or phonemes)[0]


def _entries(lexeme: ET.Element, where: str, defaults: _Defaults) -> list[LexiconEntry]:
    graphemes = [_text(g) for g in _children(lexeme, "grapheme")]
    if not graphemes:
        raise LexiconProblem(f"{where}.grapheme", "a lexeme needs at least one <grapheme>")
    aliases = [_text(a) for a in _children(lexeme, "alias")]
    phonemes = list(_children(lexeme, "phoneme"))
    if not aliases and not phonemes:
        raise LexiconProblem(where, "a lexeme needs an <alias> or a <phoneme>")
    alias = aliases[0] if aliases else None
    phoneme, alphabet = None, None
    if phonemes:
        chosen = _preferred(phonemes)
        named = chosen.get("alphabet")
        if named is not None:
            field = f"{where}.phoneme.alphabet"
            alphabet = alphabet_named(named, language=defaults.language, field=field)
        arpabet = is_arpabet(named) if named is not None else defaults.arpabet
        try:
            text = arpabet_to_ipa(_text(chosen)) if arpabet else _text(chosen)
            phoneme = checked_phoneme(text, alphabet or defaults.alphabet)
        except LexiconProblem as problem:
            raise problem.under(where) from None
    try:
        return [
            LexiconEntry(grapheme=g, alias=alias, phoneme=phoneme, alphabet=alphabet)
            for g in graphemes
        ]
    except ValidationError as error:
        raise from_validation(error, prefix=where) from None


def export_pls(lexicon: Lexicon) -> bytes:
    """Our Lexicon -> a PLS 1.0 document (UTF-8, one <lexeme> per entry, one a line)."""
    # Plain tags and a literal xmlns: ElementTree's default_namespace refuses the plain
    # attribute names PLS uses, and register_namespace would change process-wide state.
    root = ET.Element(
        "lexicon",
        {"xmlns": PLS_NAMESPACE, "version": "1.0", "alphabet": lexicon.alphabet.value},
    )
    if lexicon.language is not None:
        root.set(_XML_LANG, lexicon.language)
    for entry in lexicon.entries:
        lexeme = ET.SubElement(root, "lexeme")
        ET.SubElement(lexeme, "grapheme").text = entry.grapheme
        if entry.alias is not None:
            ET.SubElement(lexeme, "alias").text = entry.alias
        if entry.phoneme is not None:
            phoneme = ET.SubElement(lexeme, "phoneme")
            phoneme.text = entry.phoneme
            if entry.alphabet is not None:
                phoneme.set("alphabet", entry.alphabet.value)
    # One lexeme a line: readable, and without indentation's bytes on every element.
    root.text = "\n"
    for lexeme in root:
        lexeme.tail = "\n"
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
