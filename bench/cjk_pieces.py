"""Benchmark: unpunctuated Chinese on Kokoro, as one 300-character piece (before issue 29) and
as the pieces the sentence splitter cuts now (at most 300 spoken characters: about 75 Han
characters, cut where jieba ends a word).

    .venv/bin/python bench/cjk_pieces.py [--runs 2] [--busy 2]

Each piece is one turn on a kokoro engine process, as synthesis runs it (one process, every
core). ``--busy N`` runs N processes that only spin, the load of other turns and services
beside the engine (the issue saw 57–96 s a piece under load). Printed per layout: the pieces,
the wall time of the slowest piece and of the whole text, audio seconds, and the turn timeout
each piece is given (120 s before; now 120 s plus 0.15 s per spoken character).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import machine_line, summary
from ttsjobs.contracts.sentences import split_sentences
from ttsjobs_synthesis.engines import (
    TIMEOUT_PER_SPOKEN_CHAR_S,
    ProviderEngines,
    timeout_for,
)
from ttsjobs_synthesis.providers.registry import entry

RUN = (
    "今天早上渡轮又误点了桥上挤满了车我们在码头等了很久才坐上船大家都很着急因为要赶去上班"
    "老板说迟到就要扣工资可是天气不好风很大船开得很慢银行行长也在船上他说这种天气应该取消航班"
)
TEXT = (RUN * 4)[:300]
VOICE = "zf_xiaoxiao"


def _spin() -> None:
    while True:
        pass


async def _time_pieces(engines: ProviderEngines, pieces: list[str]) -> tuple[list[float], float]:
    walls, audio_s = [], 0.0
    for piece in pieces:
        t0 = time.perf_counter()
        speech = await engines.synthesize("kokoro", piece, VOICE, speed=1.0, pitch=1.0)
        walls.append(time.perf_counter() - t0)
        audio_s += speech.duration_ms / 1000
    return walls, audio_s


async def _measure(layouts: dict[str, list[str]], runs: int) -> dict[str, list]:
    engines = ProviderEngines({"kokoro": entry("kokoro").engine(processes=1)}, turn_timeout_s=3600)
    results: dict[str, list] = {name: [] for name in layouts}
    try:
        await engines.start()
        await engines.synthesize("kokoro", RUN[:20], VOICE, speed=1.0, pitch=1.0)  # the G2P
        for _ in range(runs):
            for name, pieces in layouts.items():  # side by side in every run
                results[name].append(await _time_pieces(engines, pieces))
    finally:
        engines.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--busy", type=int, default=0, help="processes that spin beside it")
    args = parser.parse_args()
    layouts = {
        "before: one piece of 300": [TEXT],
        "now: split_sentences": [p.text for p in split_sentences(TEXT)],
    }
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(args.busy)]
    for spinner in spinners:
        spinner.start()
    try:
        results = asyncio.run(_measure(layouts, args.runs))
    finally:
        for spinner in spinners:
            spinner.kill()
    print(f"\n{machine_line(args.runs)}; {args.busy} spinning processes beside the engine\n")
    print("| layout | pieces (Han characters) | slowest piece (s) | whole text (s) "
          "| audio (s) | timeout per piece (s) |")  # fmt: skip
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for name, pieces in layouts.items():
        runs = results[name]
        slowest = summary([max(walls) for walls, _ in runs], digits=1)
        whole = summary([sum(walls) for walls, _ in runs], digits=1)
        audio = statistics.median(audio for _, audio in runs)
        if name.startswith("before"):
            timeouts = "120"
        else:
            per = {
                round(timeout_for(p, base_s=120, per_char_s=TIMEOUT_PER_SPOKEN_CHAR_S))
                for p in pieces
            }
            timeouts = f"{min(per)}–{max(per)}"
        lengths = ", ".join(str(len(p)) for p in pieces)
        print(f"| {name} | {lengths} | {slowest} | {whole} | {audio:.1f} | {timeouts} |")


if __name__ == "__main__":
    main()
