"""Benchmark: a 20-turn, two-speaker dialogue as a ttsjobs job against synthesizing the same
turns one after another in one process (the synchronous way), for kokoro, piper and espeak.

Also: the same job again (every turn cached), and the job with one turn edited.

    .venv/bin/python bench/dialogue_job.py [--runs 3] [--providers kokoro piper espeak]

It starts the embedded stack (NATS, PostgreSQL, S3 and the three services) in a temporary
folder, prints a Markdown table, and stops everything.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import running_stack
from ttsjobs_synthesis.providers.registry import entry

VOICES = {
    "kokoro": ("af_heart", "am_michael"),
    "piper": ("en_US-joe-medium", "en_US-joe-medium"),
    "espeak": ("en-us", "en-gb-x-rp"),
    "tone": ("mid", "high"),
}
LINES = [
    "Did you hear the news about the harbour this morning?",
    "Only that the ferries were running late again.",
    "Late is one word for it. Two of them never left the dock.",
    "Was it the weather, or the strike they kept warning us about?",
    "The strike. The crews walked off just after six.",
    "Then I suppose the bridge will be packed all afternoon.",
]


def dialogue(provider: str, take: str, turns: int = 20) -> dict:
    first, second = VOICES[provider]
    return {
        "provider": provider,
        "title": f"bench {take}",
        "turns": [
            {
                "speaker": "A" if i % 2 == 0 else "B",
                "text": f"{LINES[i % len(LINES)]} Take {take}, line {i}.",
            }
            for i in range(turns)
        ],
        "voice_assignments": {"A": {"voice": first}, "B": {"voice": second, "speed": 1.1}},
    }


def direct_seconds(provider, body: dict) -> float:
    """The synchronous way: each turn in order, in this process, engine already loaded."""
    voices = body["voice_assignments"]
    t0 = time.perf_counter()
    for turn in body["turns"]:
        assignment = voices[turn["speaker"]]
        provider.synthesize(turn["text"], assignment["voice"], speed=assignment.get("speed", 1.0))
    return time.perf_counter() - t0


def job_seconds(client: httpx.Client, body: dict) -> tuple[float, dict]:
    """From POST to the completed job being visible through GET.

    GET is polled every 50 ms: polling faster takes CPU from the engines on a 2-core machine.
    """
    t0 = time.perf_counter()
    job = client.post("/api/v1/jobs/tts/multi-role", json=body).json()
    while True:
        current = client.get(f"/api/v1/jobs/{job['id']}").json()
        if current["status"] in ("completed", "failed", "cancelled"):
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - t0
    if current["status"] != "completed":
        raise RuntimeError(f"job ended {current['status']}: {current['error_message']}")
    return elapsed, current


def summary(values: list[float]) -> str:
    median = statistics.median(values)
    spread = max(values) - min(values)
    return f"{median:.2f} s (±{spread / 2:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--providers", nargs="+", default=["kokoro", "piper", "espeak"])
    args = parser.parse_args()

    # The direct side gets every core in one session: the best one process does.
    cores = __import__("os").cpu_count()
    engines = {name: entry(name).build(entry(name).settings(), cores) for name in args.providers}
    for engine in engines.values():
        engine.warm_up()
    rows = []
    with running_stack() as running:
        with httpx.Client(base_url=running.url, headers=running.headers, timeout=120) as client:
            job_seconds(client, dialogue("espeak", "warm-up", turns=4))
            for name in args.providers:
                job_seconds(client, dialogue(name, "warm-up", turns=2))
                direct, jobs, cached, edited, audio = [], [], [], [], []
                for run in range(args.runs):
                    body = dialogue(name, str(run))
                    direct.append(direct_seconds(engines[name], body))
                    seconds, result = job_seconds(client, body)
                    jobs.append(seconds)
                    audio.append(result["result"]["duration_ms"] / 1000)
                    cached.append(job_seconds(client, body)[0])
                    body["turns"][7]["text"] = f"An edited line for run {run}."
                    edited.append(job_seconds(client, body)[0])
                ratio = [j / d for j, d in zip(jobs, direct, strict=True)]
                rows.append((name, statistics.median(audio), direct, jobs, ratio, cached, edited))

    print(
        f"\nMachine: {platform.machine()}, {platform.python_version()}, cores: "
        f"{__import__('os').cpu_count()}; {args.runs} runs; median (± half the spread)\n"
    )
    columns = ["provider", "audio", "direct, one process", "ttsjobs job", "job / direct",
               "cached rerun", "one turn edited"]  # fmt: skip
    print("| " + " | ".join(columns) + " |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, audio_s, direct, jobs, ratio, cached, edited in rows:
        print(
            f"| {name} | {audio_s:.1f} s | {summary(direct)} | {summary(jobs)} | "
            f"{statistics.median(ratio):.2f}× | {summary(cached)} | {summary(edited)} |"
        )


if __name__ == "__main__":
    main()
