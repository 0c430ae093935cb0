"""The normalisers' regexes stay linear on hostile input: 100 kB strings built to make a careless
pattern backtrack (runs of digits, separators, address characters). No timed assertion: the
timeout marker fails a test that hangs, and bench/ is where speed is measured."""

from __future__ import annotations

import pytest

from ttsjobs_synthesis.prepare_text import normalise_en, normalise_zh
from ttsjobs_synthesis.prepare_text.spans import apply_rewrites

HOSTILE = {
    "digits": "1" * 100_000,
    "comma groups": "1," * 50_000,
    "dotted": "1.1." * 25_000,
    "at signs": "a@" * 50_000,
    "letters": "a" * 100_000,
    "dotted letters": "a." * 50_000,
    "url": "http://" + "a." * 50_000,
    "urls": "http://" * 15_000,
    "money": "NT$" + "1," * 50_000,
    "dollars": "$1," * 33_000,
    "colons": "1:" * 50_000,
    "dashes": "1-" * 50_000,
    "minus signs": "-" * 100_000,
    "slashes": "1/" * 50_000,
    "percent": "1%" * 50_000,
    "full-width digits": "１" * 100_000,
    "phone-ish": "0912-" * 20_000,
    "email-ish": "a.b+" * 25_000 + "@",
    "spaces between digits": "1 " * 50_000,
    "degrees": "1°" * 50_000,
    "version letters": "v1." * 33_000,
}

NORMALISERS = {"zh": normalise_zh.normalise_zh, "en": normalise_en.normalise_en}
PATTERNS = [
    (f"{lang}:{name}", pattern)
    for lang, module in (("zh", normalise_zh), ("en", normalise_en))
    for name, pattern in module.RULES.each_pattern().items()
]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("lang", NORMALISERS)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_each_normaliser_gets_through_hostile_input(lang: str, hostile: str) -> None:
    text = HOSTILE[hostile]
    rewrites = NORMALISERS[lang](text)
    assert all(0 <= r.start < r.end <= len(text) for r in rewrites)
    apply_rewrites(text, rewrites)  # raises if any two overlap


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_each_rule_on_its_own_gets_through_hostile_input(name: str, pattern) -> None:
    for text in HOSTILE.values():
        for _ in pattern.finditer(text):
            pass
