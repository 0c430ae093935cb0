"""The polyphone context rules: each well formed, each fires where it should and not beside."""

import re

import pytest

from ttsjobs_synthesis.prepare_text.polyphones import RULES, rule_readings


def test_each_rule_names_its_polyphone_once_and_says_why() -> None:
    for rule in RULES:
        assert rule.pattern.count("{x}") == 1, rule
        assert re.fullmatch(r"[a-z]+[1-5]", rule.syllable), rule
        assert rule.why.strip(), rule


@pytest.mark.parametrize(
    ("simplified", "char", "syllable"),
    [
        ("他的头发很长", "长", "chang2"),
        ("那条绳子不够长", "长", "chang2"),
        ("你得早点回家", "得", "dei3"),
        ("他跑得很快", "得", "de5"),
        ("请把书还给我", "还", "huan2"),
        ("把音量调小一点", "调", "tiao2"),
        ("他种了很多花", "种", "zhong4"),
        ("这种花很香", "种", "zhong3"),
        ("请数一数", "数", "shu3"),
        ("昨晚睡了一个好觉", "觉", "jiao4"),
    ],
)
def test_a_rule_decides_the_polyphone_in_its_context(simplified, char, syllable) -> None:
    decided: dict[int, str] = {}
    for at, decided_syllable, _rule in rule_readings(simplified):
        decided.setdefault(at, decided_syllable)  # the rule listed first wins, as in reading
    assert decided.get(simplified.index(char)) == syllable


@pytest.mark.parametrize(
    ("simplified", "char"),
    [
        ("孩子长大了", "长"),  # zhǎng: no rule, the dictionary's word decides
        ("他得到了第一名", "得"),
        ("他还在学校", "还"),
        ("他被调到台中", "调"),
        ("数学很难", "数"),
        ("他们的角色差不多", "差"),
    ],
)
def test_no_rule_fires_where_the_dictionary_word_is_right(simplified, char) -> None:
    decided = {at for at, _s, _rule in rule_readings(simplified)}
    assert simplified.index(char) not in decided
