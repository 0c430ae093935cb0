"""Seeded random lexicons made of awkward text (markup characters, CDATA ends, quotes, inner
tabs and newlines, Unicode spaces at the edges, astral emoji, combining marks) read the same
back through JSON, PLS, and each into the other."""

from __future__ import annotations

import json
import random

import pytest

from ttsjobs.lexicons.json_form import export_json, parse_json
from ttsjobs.lexicons.pls import export_pls, parse_pls

AWKWARD = [
    "a", "Z", "7", " ", "\t", "\n", "<", ">", "&", "'", '"', "]]>", "&amp;", "<!--", "?>",
    "垃圾", "長", "ㄏㄤˊ", "é", "e\u0301", "\u3000", "\u00a0", "\u2028", "\u0085", "😀",
    "𠀀", "\\", "/", "{", "}", "ʃ", "ˈ", "ː", "\u200b", "\ufeff", "x-sampa",
]  # fmt: skip
ALPHABETS = [None, "ipa", "kokoro", "espeak", "x-SAMPA", "IPA"]


def _text(rng: random.Random, most: int) -> str:
    while True:
        text = "".join(rng.choice(AWKWARD) for _ in range(rng.randint(1, 8)))[:most]
        if text.strip():
            return text


def _document(rng: random.Random) -> bytes:
    entries = []
    for _ in range(rng.randint(0, 12)):
        entry: dict[str, str] = {"grapheme": _text(rng, 100)}
        if rng.random() < 0.6:
            entry["alias"] = _text(rng, 300)
        if "alias" not in entry or rng.random() < 0.3:
            alphabet = rng.choice(ALPHABETS)
            # X-SAMPA must be symbols X-SAMPA has; the others are passed through or NFC'd.
            entry["phoneme"] = '"{p@l' if alphabet == "x-SAMPA" else _text(rng, 300)
            if alphabet is not None:
                entry["alphabet"] = alphabet
        entries.append(entry)
    language = rng.choice([None, "zh-TW", " en-US ", ""])
    return json.dumps({"language": language, "entries": entries}).encode()


@pytest.mark.parametrize("seed", range(200))
def test_awkward_lexicons_read_the_same_in_every_form(seed: int) -> None:
    lexicon = parse_json(_document(random.Random(seed)))
    assert parse_json(export_json(lexicon)) == lexicon
    assert parse_pls(export_pls(lexicon)) == lexicon
    assert parse_json(export_json(parse_pls(export_pls(lexicon)))) == lexicon
