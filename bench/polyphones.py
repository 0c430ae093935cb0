"""Benchmark: how read_mandarin reads the polyphone corpus, for both reading standards.

    .venv/bin/python bench/polyphones.py

Prints, per standard, the accuracy per polyphone occurrence (overall and per character) and on
the Taiwan-vs-mainland words, with each miss; expected readings come from the moedict headword
each corpus line names (tests/corpora/polyphones_zh_tw.tsv), never from our output. The mainland
run leaves out the lines marked Taiwan-only. Also prints what the first call costs (the Taiwan
dictionary read, jieba's dictionary) and what a 300-character text costs after that.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import zhconv
from tests.support import polyphone_corpus

from bench.harness import machine_line, summary
from ttsjobs_synthesis.prepare_text import mandarin_readings, taiwan_readings
from ttsjobs_synthesis.prepare_text.mandarin_readings import prepare_jieba, read_mandarin
from ttsjobs_synthesis.prepare_text.script import to_simplified
from ttsjobs_synthesis.prepare_text.spans import WordReading
from ttsjobs_synthesis.prepare_text.taiwan_readings import pypinyin_reading

_HAN = re.compile(r"[\u4e00-\u9fff]+$")
RUNS = 50  # of read_mandarin over the sample
SAMPLE = "他的頭髮很長，我用滑鼠點開軟體，可是記憶體不夠。垃圾車星期三會來，銀行行長還在研究。"


def main() -> None:
    print(machine_line(RUNS))
    with tempfile.TemporaryDirectory() as tmp:
        prepare_jieba(Path(tmp) / "jieba.cache")
        started = time.perf_counter()
        taiwan_readings.taiwan_reading("垃圾")
        dictionary_s = time.perf_counter() - started
        started = time.perf_counter()
        read_mandarin("你好", "taiwan")
        jieba_s = time.perf_counter() - started
        print(f"first use: Taiwan dictionary {dictionary_s:.2f} s, then jieba {jieba_s:.2f} s")
        text = (SAMPLE * 8)[:300]
        for standard in ("taiwan", "mainland"):
            for cold in (True, False):
                times = []
                for _ in range(RUNS):
                    if cold:  # words never seen: pypinyin and the lexicon look each one up
                        taiwan_readings.pypinyin_reading.cache_clear()
                        mandarin_readings._taiwan_syllables.cache_clear()
                    started = time.perf_counter()
                    read_mandarin(text, standard)
                    times.append(time.perf_counter() - started)
                spent = summary([t * 1e3 for t in times], " ms", 1)
                words = "new words" if cold else "words seen before"
                print(f"read_mandarin, 300 characters, {standard}, {words}: {spent}")
        lines = polyphone_corpus.load()
        print(f"corpus: {len(lines)} lines, {len({line.sentence for line in lines})} sentences")
        for standard in ("taiwan", "mainland"):
            checks = polyphone_corpus.score(read_mandarin, standard, lines)
            print(f"\n== {standard}\n{polyphone_corpus.table(checks)}")
        for standard in ("taiwan", "mainland"):
            checks = polyphone_corpus.score(_before_issue_30, standard, lines)
            print(f"\n== before issue 30 (zh-cn, jieba, pypinyin), {standard} lines")
            print(polyphone_corpus.accuracy_lines(checks))


def _before_issue_30(text: str, standard: str) -> list[WordReading]:
    """What the Mandarin path read before: zhconv's zh-cn (where it keeps the length, so the
    positions still match), jieba's words and pypinyin's readings; no lexicon, no rules."""
    import jieba

    converted = zhconv.convert(text, "zh-cn")
    if len(converted) != len(text):
        converted = to_simplified(text)
    words, at = [], 0
    for piece in jieba.lcut(converted):
        syllables = pypinyin_reading(piece) if _HAN.match(piece) else ()
        words.append(WordReading(text[at : at + len(piece)], at, at + len(piece), syllables, "g2p"))
        at += len(piece)
    return words


if __name__ == "__main__":
    main()
