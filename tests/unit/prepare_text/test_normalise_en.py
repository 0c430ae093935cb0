"""normalise_en: a corpus of English readings (expected values written from how Americans read
them aloud, not from our output), and the promise that only the rewritten spans change."""

from __future__ import annotations

from itertools import pairwise

import pytest

from ttsjobs_synthesis.prepare_text.normalise_en import normalise_en
from ttsjobs_synthesis.prepare_text.spans import apply_rewrites

CORPUS = [
    # money
    ("$5.30", "five dollars and thirty cents"),
    ("$5.3 billion", "five point three billion dollars"),
    ("$1", "one dollar"),
    ("$0.99", "ninety-nine cents"),
    ("$0.01", "one cent"),
    ("$5.00", "five dollars"),
    ("$1,250", "one thousand two hundred fifty dollars"),
    ("$5M", "five million dollars"),
    ("$10k", "ten thousand dollars"),
    ("€20", "twenty euros"),
    ("€1.50", "one euro and fifty cents"),
    ("£2.50", "two pounds and fifty pence"),
    ("£1.01", "one pound and one penny"),
    ("¥1000", "one thousand yen"),
    ("NT$1,200", "one thousand two hundred New Taiwan dollars"),
    ("It costs $12.", "It costs twelve dollars."),
    ("a balance of -$5", "a balance of minus five dollars"),
    # decimals, versions
    ("3.14", "three point one four"),
    ("0.5", "zero point five"),
    ("2.0.1", "two point oh point one"),
    ("v2.0.1", "version two point oh point one"),
    ("Python 3.11.4", "Python three point eleven point four"),
    ("v2", "version two"),
    # times
    ("10:30 am", "ten thirty A M"),
    ("7:15 p.m.", "seven fifteen P M"),
    ("14:05", "fourteen oh five"),
    ("10:00", "ten o'clock"),
    ("9:00 AM", "nine A M"),
    ("14:00", "fourteen hundred"),
    ("14:05:09", "fourteen oh five and nine seconds"),
    ("at 5pm", "at five P M"),
    ("6 a.m.", "six A M"),
    # ordinals
    ("1st", "first"),
    ("22nd", "twenty-second"),
    ("3rd place", "third place"),
    ("the 11th hour", "the eleventh hour"),
    ("101st", "one hundred first"),
    # units
    ("5 km", "five kilometers"),
    ("1 km", "one kilometer"),
    ("3kg", "three kilograms"),
    ("60 mph", "sixty miles per hour"),
    ("25°C", "twenty-five degrees Celsius"),
    ("-5°C", "minus five degrees Celsius"),
    ("2.5 GB", "two point five gigabytes"),
    ("6 ft", "six feet"),
    ("500 ml", "five hundred milliliters"),
    ("5 miles", "five miles"),
    # web and e-mail
    ("https://www.example.com/path", "w w w dot example dot com slash path"),
    ("Visit example.com.", "Visit example dot com."),
    ("john.smith@example.com", "john dot smith at example dot com"),
    ("Mail help@my-site.org today", "Mail help at my dash site dot org today"),
    # phone numbers
    ("555-123-4567", "five five five, one two three, four five six seven"),
    ("(555) 123-4567", "five five five, one two three, four five six seven"),
    ("+1 555 123 4567", "plus one, five five five, one two three, four five six seven"),
    ("+44 20 7946 0958", "plus four four, two oh, seven nine four six, oh nine five eight"),
    # years and dates
    ("1999", "nineteen ninety-nine"),
    ("2026", "twenty twenty-six"),
    ("in 2005", "in two thousand five"),
    ("1905", "nineteen oh-five"),
    ("the 1990s", "the nineteen nineties"),
    ("1999-2001", "nineteen ninety-nine to two thousand one"),
    ("2026-12-06", "December sixth, twenty twenty-six"),
    # plain numbers, percentages, negatives
    ("1,234,567", "one million two hundred thirty-four thousand five hundred sixty-seven"),
    ("I have 3 apples", "I have three apples"),
    ("12345", "twelve thousand three hundred forty-five"),
    ("101", "one hundred one"),
    ("0", "zero"),
    ("007", "zero zero seven"),
    ("50%", "fifty percent"),
    ("3.5%", "three point five percent"),
    ("-4", "minus four"),
    ("It's -4 outside", "It's minus four outside"),
    # ranges
    ("10-20", "ten to twenty"),
    ("5-10 km", "five to ten kilometers"),
    # fractions, where they can only be fractions
    ("1/2 cup", "one half cup"),
    ("3/4", "three quarters"),
    ("2/3", "two thirds"),
    ("1/5", "one fifth"),
    ("pages 4-5.", "pages four to five."),
    # numbers touching letters keep a space
    ("3D", "three D"),
    ("MP3", "MP three"),
    ("COVID-19", "COVID-nineteen"),
    ("192.168.0.1", "one nine two dot one six eight dot zero dot one"),
    ("No numbers here.", "No numbers here."),
]


@pytest.mark.parametrize(("written", "said"), CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_reads_as_said_aloud(written: str, said: str) -> None:
    assert apply_rewrites(written, normalise_en(written)) == said


def test_the_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 60


def test_text_without_numbers_gets_no_rewrite() -> None:
    text = "The quick brown fox jumps over the lazy dog; e.g. it isn't 'v' or 'AM'."
    assert normalise_en(text) == []


def test_rewrites_point_into_the_original_and_leave_the_rest() -> None:
    text = "Call 555-123-4567 at 10:30 am; it's $5.30, see example.com."
    rewrites = normalise_en(text)
    assert [text[r.start : r.end] for r in rewrites] == [
        "555-123-4567",
        "10:30 am",
        "$5.30",
        "example.com",
    ]
    assert all(a.end <= b.start for a, b in pairwise(rewrites))
    assert apply_rewrites(text, rewrites) == (
        "Call five five five, one two three, four five six seven at ten thirty A M; "
        "it's five dollars and thirty cents, see example dot com."
    )
