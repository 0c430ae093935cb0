"""The sentence splitter of single_tts jobs: a table of the cases that trip splitters up."""

from __future__ import annotations

import pytest

from ttsjobs.contracts.sentences import PieceEnd, packed, split_sentences

CASES = [
    # (why, text, the pieces as read, stripped)
    ("latin sentences", "Hello there. How are you?", ["Hello there.", "How are you?"]),
    (
        "decimals and thousands",
        "Pi is 3.14 and 1,000.5 is big. Next!",
        ["Pi is 3.14 and 1,000.5 is big.", "Next!"],
    ),
    (
        "titles",
        "Dr. Smith met Mr. Jones and Mrs. Lee. They talked.",
        ["Dr. Smith met Mr. Jones and Mrs. Lee.", "They talked."],
    ),
    (
        "e.g. and i.e.",
        "Use e.g. Apples, i.e. fruit. Done.",
        ["Use e.g. Apples, i.e. fruit.", "Done."],
    ),
    (
        "U.S. before lowercase",
        "The U.S. economy grew. Then it fell.",
        ["The U.S. economy grew.", "Then it fell."],
    ),
    (
        "etc. before lowercase",
        "Apples, pears, etc. are fruit. Yes.",
        ["Apples, pears, etc. are fruit.", "Yes."],
    ),
    (
        "etc. at the end",
        "We bought apples, pears, etc. Then we left.",
        ["We bought apples, pears, etc.", "Then we left."],
    ),
    (
        "ellipsis before lowercase goes on",
        "Well... maybe not. Wait... Then what?",
        ["Well... maybe not.", "Wait...", "Then what?"],
    ),
    ("unicode ellipsis", "So… it ends. Or… does it?", ["So… it ends.", "Or… does it?"]),
    (
        "quotes after the terminator",
        'He said "Stop!" and left. "Why?" she asked.',
        ['He said "Stop!" and left.', '"Why?" she asked.'],
    ),
    ("brackets after the terminator", "It works (mostly.) Fine.", ["It works (mostly.)", "Fine."]),
    ("semicolon", "First part; second part. End.", ["First part;", "second part.", "End."]),
    ("repeated marks", "Hi!!! Really?! Yes.", ["Hi!!!", "Really?!", "Yes."]),
    (
        "domains and initialisms stay",
        "Visit example.com in the U.S.A. Now.",
        ["Visit example.com in the U.S.A.", "Now."],
    ),
    ("initials", "J. K. Rowling wrote it. Great.", ["J. K. Rowling wrote it.", "Great."]),
    ("cjk terminators", "你好。今天天气很好！是吗？", ["你好。", "今天天气很好！", "是吗？"]),
    ("cjk closing quotes stay", "「走吧。」他说。『好！』", ["「走吧。」", "他说。", "『好！』"]),
    (
        "cjk curly quote and bracket",
        "他说：“来吧。”（笑）。然后呢？",
        ["他说：“来吧。”", "（笑）。", "然后呢？"],
    ),
    ("cjk semicolon", "第一句；第二句。", ["第一句；", "第二句。"]),
    ("half-width marks after han", "真的吗?是的!", ["真的吗?", "是的!"]),
    ("cjk number stays whole", "圆周率是3.14。对。", ["圆周率是3.14。", "对。"]),
    ("mixed scripts", "中文。English here. 再来！", ["中文。", "English here.", "再来！"]),
    ("blank line ends a heading", "Chapter 1\n\nIt was dark.", ["Chapter 1", "It was dark."]),
    ("one newline is a wrapped line", "It was\ndark. Yes.", ["It was\ndark.", "Yes."]),
    ("punctuation alone joins the sentence before", "Really. ... Yes.", ["Really. ...", "Yes."]),
    ("no terminator at all", "just words", ["just words"]),
]


@pytest.mark.parametrize(("why", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_split_table(why: str, text: str, expected: list[str]) -> None:
    pieces = split_sentences(text)
    assert [p.text.strip() for p in pieces] == expected, why
    assert "".join(p.text for p in pieces) == text  # lossless: the job's text is the join


LONG = [
    ("latin without punctuation cuts at a space", "word " * 200, 60),
    ("cjk without punctuation cuts at the bound", "字" * 650, 60),
    ("commas are preferred", ("alpha beta gamma, " * 30), 60),
    ("cjk commas are preferred", "这是一个很长的句子，" * 40, 60),
    ("numbers are not cut", "1234567890" * 30, 60),
]


@pytest.mark.parametrize(("why", "text", "bound"), LONG, ids=[c[0] for c in LONG])
def test_long_sentences_are_cut_at_the_bound(why: str, text: str, bound: int) -> None:
    pieces = split_sentences(text, max_chars=bound)
    assert "".join(p.text for p in pieces) == text
    assert all(len(p.text.rstrip()) <= bound for p in pieces), why
    assert all(p.end is PieceEnd.cut for p in pieces[:-1])
    assert len(pieces) > 1


def test_comma_cut_keeps_the_comma() -> None:
    pieces = split_sentences("alpha beta gamma, " * 30, max_chars=60)
    assert all(p.text.rstrip().endswith(",") for p in pieces[:-1])


def test_blank_lines_mark_paragraphs() -> None:
    pieces = split_sentences("One. Two.\n\nThree.")
    assert [p.end for p in pieces] == [PieceEnd.sentence, PieceEnd.paragraph, PieceEnd.sentence]


@pytest.mark.parametrize(
    "text", ["是。" * 50_000, "Yes. " * 20_000, "短句。Longer sentence here. " * 3_000]
)
def test_too_many_sentences_are_packed_within_the_bound(text: str) -> None:
    pieces = packed(split_sentences(text), max_pieces=4_000, max_chars=300)
    assert len(pieces) <= 4_000
    assert all(len(p.text) <= 300 for p in pieces)
    assert "".join(p.text for p in pieces) == text


def test_a_text_within_the_bound_keeps_a_piece_per_sentence() -> None:
    pieces = split_sentences("One. Two. Three.")
    assert packed(pieces, max_pieces=3, max_chars=300) == pieces
