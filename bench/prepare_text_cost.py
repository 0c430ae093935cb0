"""Benchmark: what the prepare-text stage costs a turn, against the path it replaced.

    .venv/bin/python bench/prepare_text_cost.py

Mandarin: the corpus sentences of tests/corpora/polyphones_zh_tw.tsv, with numbers and a Latin
brand mixed in, to Kokoro's phonemes: before, zhconv "zh-cn" then misaki's ZHG2P (jieba,
pypinyin) with Latin runs to espeak; now, MandarinStage (normaliser, Latin words, Taiwan
readings, rules). English: espeak's phonemes of the text as it is (what kokoro-onnx did), against
normalise_en and the pieces. Both run side by side in one process, alternating, and the ratio is
what to compare; the absolute times move between machines. Lexicons are empty (a job's usual
case); one pass of the Aho-Corasick matcher is all they add.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import zhconv
from kokoro_onnx.tokenizer import Tokenizer
from misaki.zh import ZHG2P
from tests.support import polyphone_corpus

from bench.harness import machine_line, summary
from ttsjobs_synthesis.prepare_text.engine_text import phonemised
from ttsjobs_synthesis.prepare_text.mandarin import MandarinStage
from ttsjobs_synthesis.prepare_text.mandarin_readings import prepare_jieba
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation

ROUNDS = 7
_LATIN_OR_NOT = re.compile(r"([A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*)*)|([^A-Za-z]+)")
ENGLISH = [
    "The meeting moved to 10:30 am on March 3rd; bring the $5.3 billion report.",
    "Version 2.0.1 ships today, and 25% of users already run it at 60 mph.",
    "Call 555-0100 or write to help@example.com before the 1st of May.",
    "It was a quiet evening, and the rain had stopped by the time we got home.",
]


def _before_mandarin(tokenizer: Tokenizer, g2p: ZHG2P):
    def phonemes(text: str) -> str:
        simplified = zhconv.convert(text, "zh-cn")
        out = []
        for latin, other in _LATIN_OR_NOT.findall(simplified):
            if latin:
                out.append(tokenizer.phonemize(latin, "en-us"))
            elif other.strip():
                out.append(g2p(other)[0])
        return " ".join(p.strip() for p in out if p.strip())

    return phonemes


def _now_english(tokenizer: Tokenizer):
    def phonemes(text: str) -> str:
        return phonemised(
            text,
            "en-US",
            Pronunciation(),
            phonemise=lambda said: tokenizer.phonemize(said, "en-us"),
            reading=lambda piece: piece.phoneme or "",
        )

    return phonemes


def _timed(work, texts: list[str]) -> float:
    t0 = time.perf_counter()
    for text in texts:
        work(text)
    return time.perf_counter() - t0


def main() -> None:
    prepare_jieba(Path(tempfile.mkdtemp()) / "jieba.cache")
    tokenizer = Tokenizer()
    sentences = [line.sentence for line in polyphone_corpus.load()]
    mandarin = [
        f"{s}我騎YouBike花了NT$1,200。" if i % 5 == 0 else s for i, s in enumerate(sentences)
    ]
    stage = MandarinStage(english=lambda words: tokenizer.phonemize(words, "en-us"))
    pairs = {
        "Mandarin": (
            _before_mandarin(tokenizer, ZHG2P()),
            lambda text: stage.phonemes(text, Pronunciation("taiwan")),
            mandarin,
        ),
        "English": (
            lambda text: tokenizer.phonemize(text, "en-us"),
            _now_english(tokenizer),
            ENGLISH * 50,
        ),
    }
    print(machine_line(ROUNDS))
    for name, (before, now, texts) in pairs.items():
        before(texts[0]), now(texts[0])  # first loads (jieba, the dictionary) left out
        chars = sum(map(len, texts))
        times: dict[str, list[float]] = {"before": [], "now": []}
        for _ in range(ROUNDS):
            times["before"].append(_timed(before, texts))
            times["now"].append(_timed(now, texts))
        ratios = [n / b for b, n in zip(times["before"], times["now"], strict=True)]
        print(
            f"{name}: {len(texts)} texts, {chars} characters; ms per 1,000 characters"
            f" before {summary([1e6 * t / chars for t in times['before']])},"
            f" now {summary([1e6 * t / chars for t in times['now']])};"
            f" now/before {summary(ratios, digits=2)}"
        )


if __name__ == "__main__":
    main()
