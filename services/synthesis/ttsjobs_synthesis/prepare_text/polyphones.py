"""Context rules for the common polyphones (多音字) that word segmentation gets wrong.

Consumes Mandarin text in Simplified script (script.to_simplified's output, so positions are the
user's); emits the positions whose reading a rule decides, each with its syllable. jieba joins
some words that the dictionary then reads wrongly (很长 is one word, and pypinyin says hěn
zhǎng); a rule looks at the characters around a polyphone instead, whatever the segmentation.
Each rule holds for both reading standards; where Taiwan differs, the Taiwan lexicon decides.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """Read the character marked ``{x}`` in ``pattern`` as ``syllable``. ``pattern`` is a regex
    over Simplified text in which ``{x}`` stands for the polyphone itself; ``why`` says why."""

    char: str
    pattern: str
    syllable: str
    why: str


RULES: tuple[Rule, ...] = (
    Rule(
        "长",
        r"(?:很|太|真|好|挺|更|最|多|那么|这么|不|较|非常|特别|越来越|变|拉|留|又|这样|那样)"
        r"{x}(?![大成辈官老者子])",
        "chang2",
        "after a degree word or 变/拉/留, 长 is the adjective long: 很长, 太长, 变长",
    ),
)


@functools.cache
def _compiled() -> tuple[tuple[re.Pattern[str], Rule], ...]:
    return tuple(
        (re.compile(rule.pattern.replace("{x}", f"(?P<x>{rule.char})")), rule) for rule in RULES
    )


def rule_readings(simplified: str) -> Iterator[tuple[int, str, Rule]]:
    """Each position in ``simplified`` a rule decides, with its syllable and the rule."""
    for pattern, rule in _compiled():
        for match in pattern.finditer(simplified):
            yield match.start("x"), rule.syllable, rule
