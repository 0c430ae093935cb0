"""Benchmark: the Kokoro engine on this machine, without the job system.

    .venv/bin/python bench/kokoro_engine.py [--runs 3]

- Real-time factor per language: synthesis seconds per audio second, one session with every
  core, sentences of about three seconds.
- Engine sizing: 20 English turns, one process with a session over every core (turn after
  turn) against one single-threaded process per core (turns side by side, synthesis' engine
  pool). Audio seconds per wall second; the faster is what synthesis should run.
- Peak RSS of an engine process after English and Mandarin have both been spoken.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dialogue_job import LINES
from bench.harness import machine_line, summary
from ttsjobs_synthesis.engines import ProviderEngines
from ttsjobs_synthesis.providers.kokoro import KokoroProvider
from ttsjobs_synthesis.providers.registry import entry

SAMPLES = {
    "en-US": ("af_heart", "The ferries were late again this morning, and the bridge was packed."),
    "en-GB": ("bf_emma", "The ferries were late again this morning, and the bridge was packed."),
    "zh-CN (Traditional text)": ("zf_xiaoxiao", "今天早上渡輪又誤點了，橋上擠滿了車。"),
    "es-ES": ("ef_dora", "Los transbordadores llegaron tarde otra vez esta mañana."),
    "fr-FR": ("ff_siwis", "Les ferries étaient encore en retard ce matin, et le pont était plein."),
    "hi-IN": ("hf_alpha", "आज सुबह फिर से नौकाएँ देर से चलीं और पुल पर भीड़ थी।"),
    "it-IT": ("if_sara", "I traghetti erano di nuovo in ritardo stamattina."),
    "pt-BR": ("pf_dora", "As balsas atrasaram de novo hoje de manhã, e a ponte estava cheia."),
}  # fmt: skip


def rtf_per_language(provider: KokoroProvider, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    for language, (voice, text) in SAMPLES.items():
        provider.synthesize(text, voice, speed=1.0)  # loads what the language needs
        factors = []
        for _ in range(runs):
            t0 = time.perf_counter()
            speech = provider.synthesize(text, voice, speed=1.0)
            factors.append((time.perf_counter() - t0) / (speech.duration_ms / 1000))
        results[language] = factors
    return results


def one_session(texts: list[str]) -> float:
    provider = KokoroProvider(threads=os.cpu_count())
    provider.synthesize("warm up", "af_heart", speed=1.0)
    t0 = time.perf_counter()
    audio_ms = sum(provider.synthesize(t, "af_heart", speed=1.0).duration_ms for t in texts)
    return audio_ms / 1000 / (time.perf_counter() - t0)


async def process_per_core(texts: list[str]) -> float:
    cores = os.cpu_count() or 1
    engines = ProviderEngines(
        {"kokoro": entry("kokoro").engine(processes=cores)}, turn_timeout_s=600
    )
    try:
        await engines.start()
        t0 = time.perf_counter()
        speeches = await asyncio.gather(
            *(engines.synthesize("kokoro", t, "af_heart", speed=1.0, pitch=1.0) for t in texts)
        )
        return sum(s.duration_ms for s in speeches) / 1000 / (time.perf_counter() - t0)
    finally:
        engines.close()


def peak_rss_mb() -> float:
    """An engine process as synthesis runs it, after English and Mandarin."""
    engines = ProviderEngines({"kokoro": entry("kokoro").engine(processes=1)}, turn_timeout_s=600)
    try:

        async def speak() -> None:
            await engines.start()
            for voice, text in (SAMPLES["en-US"], SAMPLES["zh-CN (Traditional text)"]):
                await engines.synthesize("kokoro", text, voice, speed=1.0, pitch=1.0)

        asyncio.run(speak())
        peaks = []
        for child in psutil.Process().children(recursive=True):
            # VmHWM: the process's peak resident set, not just what it holds now.
            with open(f"/proc/{child.pid}/status") as status:
                hwm = next(line for line in status if line.startswith("VmHWM"))
            peaks.append(int(hwm.split()[1]) / 1024)
        return max(peaks)
    finally:
        engines.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    provider = KokoroProvider(threads=os.cpu_count())
    rtf = rtf_per_language(provider, args.runs)
    texts = [f"{LINES[i % len(LINES)]} Line {i}." for i in range(20)]
    single = [one_session(texts) for _ in range(args.runs)]
    pool = [asyncio.run(process_per_core(texts)) for _ in range(args.runs)]
    rss = peak_rss_mb()

    print(f"\n{machine_line(args.runs)}\n")
    print("| language | voice | real-time factor |")
    print("| --- | --- | --- |")
    for language, factors in rtf.items():
        print(f"| {language} | {SAMPLES[language][0]} | {summary(factors, '', 2)} |")
    print("\n| engine layout, 20 English turns | audio s per wall s |")
    print("| --- | --- |")
    print(f"| one process, {os.cpu_count()} threads | {summary(single, '', 2)} |")
    print(f"| {os.cpu_count()} processes, 1 thread each | {summary(pool, '', 2)} |")
    faster = "one process" if statistics.median(single) >= statistics.median(pool) else "per core"
    print(f"\nFaster: {faster}. Peak RSS of an engine process (English + Mandarin): {rss:.0f} MB")


if __name__ == "__main__":
    main()
