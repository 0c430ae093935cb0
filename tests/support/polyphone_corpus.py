"""The polyphone corpus (tests/corpora/polyphones_zh_tw.tsv) and its score, for the test and the
bench alike.

Consumes the corpus and a reader (text, standard → WordReadings); emits, per checked character,
whether the reader's syllable is the one the dictionary data gives. Expected readings come from
hanzi2reading's moedict data at run time, by the headword each line names, never from our output.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ttsjobs_synthesis.prepare_text.spans import WordReading
from ttsjobs_synthesis.prepare_text.taiwan_readings import moedict_entry

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "polyphones_zh_tw.tsv"
POLYPHONES = "長行重還得了著為樂覺便傳差調種數少好看量"
TAIWAN_WORDS = "Taiwan words"

Reader = Callable[[str, str], list[WordReading]]


@dataclass(frozen=True)
class Line:
    number: int
    sentence: str
    start: int  # of the target in the sentence
    target: str
    headword: str
    standards: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    line: Line
    char: str
    position: int
    expected: str
    got: str

    @property
    def category(self) -> str:
        return self.char if self.char in POLYPHONES else TAIWAN_WORDS

    @property
    def right(self) -> bool:
        return self.expected == self.got


def load(path: Path = CORPUS) -> list[Line]:
    """The corpus lines with their expected readings; raises ValueError on a malformed line."""
    lines = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.strip() and not raw.startswith("#"):
            lines.append(_parse(number, raw))
    return lines


def _parse(number: int, raw: str) -> Line:
    sentence, target, headword, standards, *rest = raw.split("\t")
    where = f"line {number}"
    target, _, nth = target.partition("@")
    start = -1
    for _ in range(int(nth or 1)):
        start = sentence.find(target, start + 1)
        if start < 0:
            raise ValueError(f"{where}: {target!r} not in the sentence (occurrence {nth or 1})")
    if standards not in ("both", "taiwan"):
        raise ValueError(f"{where}: standards must be both or taiwan")
    if rest and rest[0]:
        if len(rest) < 2 or not rest[1].strip():
            raise ValueError(f"{where}: an explicit reading needs a citation")
        expected = tuple(rest[0].split())
    else:
        expected = _from_headword(where, target, headword)
    if len(expected) != len(target):
        raise ValueError(f"{where}: {len(expected)} syllables for {target!r}")
    return Line(number, sentence, start, target, headword, standards, expected)


def _from_headword(where: str, target: str, headword: str) -> tuple[str, ...]:
    reading = moedict_entry(headword)
    if reading is None:
        raise ValueError(f"{where}: {headword!r} is not a headword in the dictionary data")
    if target == headword:
        return reading
    if len(target) == 1 and target in headword:
        return (reading[headword.index(target)],)
    raise ValueError(f"{where}: {target!r} is neither {headword!r} nor one of its characters")


def score(reader: Reader, standard: str, lines: Iterable[Line]) -> list[Check]:
    """Each checked character of each line that holds for ``standard``, read by ``reader``."""
    checks = []
    for line in lines:
        if standard == "mainland" and line.standards == "taiwan":
            continue
        syllables = _syllables_by_position(reader(line.sentence, standard))
        for i, char in enumerate(line.target):
            at = line.start + i
            checks.append(Check(line, char, at, line.expected[i], syllables.get(at, "")))
    return checks


def _syllables_by_position(words: list[WordReading]) -> dict[int, str]:
    return {word.start + i: syllable for word in words for i, syllable in enumerate(word.syllables)}


def accuracy_lines(checks: list[Check]) -> str:
    """Accuracy on the polyphone occurrences, on the Taiwan words and on both."""
    polyphone = [c for c in checks if c.category != TAIWAN_WORDS]
    taiwan = [c for c in checks if c.category == TAIWAN_WORDS]
    return "\n".join(
        f"{name}: {sum(c.right for c in part)}/{len(part)} = {accuracy(part):.1%}"
        for name, part in (
            ("polyphone occurrences", polyphone),
            ("Taiwan words", taiwan),
            ("all checked characters", checks),
        )
        if part
    )


def table(checks: list[Check]) -> str:
    """Accuracy per polyphone occurrence, overall and per character, as printable lines."""
    right, total = Counter(), Counter()
    for check in checks:
        total[check.category] += 1
        right[check.category] += check.right
    out = [accuracy_lines(checks)]
    for category in [*POLYPHONES, TAIWAN_WORDS]:
        if total[category]:
            out.append(
                f"  {category}: {right[category]}/{total[category]}"
                f" = {right[category] / total[category]:.0%}"
            )
    for check in checks:
        if not check.right:
            out.append(
                f"  miss line {check.line.number}: {check.line.sentence} {check.char}"
                f" expected {check.expected} got {check.got} (headword {check.line.headword})"
            )
    return "\n".join(out)


def accuracy(checks: list[Check]) -> float:
    return sum(c.right for c in checks) / len(checks) if checks else 0.0
