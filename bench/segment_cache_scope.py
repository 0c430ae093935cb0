"""Benchmark: the segment cache's timing, for the sentence's owner and for another user.

    .venv/bin/python bench/segment_cache_scope.py [--provider espeak] [--rounds 10]

One stack (espeak and piper). Each round takes a new sentence and submits, one job at a time
and waiting for each: user A's first (a fresh synthesis), A's repeat (the owner's cache hit),
then user B's identical sentence, and last a fresh sentence of B's. The cache is scoped to its
owner, so B's identical sentence should cost what a fresh one does, not what A's hit does:
nothing in B's result or timing tells whether A has had the sentence spoken. Reported per kind:
median turn synthesis_ms, median job latency_ms (JobStarted to the audio stored, from the
result), and the cache hits over all rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import SUBMIT, machine_line, running_stack
from ttsjobs.settings import settings_with
from ttsjobs_cli.accounts import open_accounts

VOICES = {"espeak": "en-us", "piper": "en_US-joe-medium"}
KINDS = ("A's first (fresh)", "A's repeat (owner's hit)", "B's identical sentence",
         "B's fresh sentence")  # fmt: skip


def job(provider: str, text: str) -> dict:
    return {"provider": provider, "title": "cache scope",
            "turns": [{"speaker": "S", "text": text}],
            "voice_assignments": {"S": {"voice": VOICES[provider]}}}  # fmt: skip


async def run_job(client: httpx.AsyncClient, body: dict) -> dict:
    response = await client.post(SUBMIT, json=body)
    response.raise_for_status()
    job_id = response.json()["id"]
    for _ in range(12_000):
        found = (await client.get(f"/api/v1/jobs/{job_id}")).json()
        if found["status"] in ("completed", "failed"):
            assert found["status"] == "completed", found["error_message"]
            return found["result"]
        await asyncio.sleep(0.005)
    raise RuntimeError(f"job {job_id} did not end")


def sentence() -> str:
    n = uuid.uuid4().int
    return (f"Order {n % 10_000} leaves platform {n % 17} at {n % 12 + 1} o'clock, "
            f"with {n % 90 + 10} passengers and a cargo of {n % 500} crates.")  # fmt: skip


async def measure(running, provider: str, rounds: int) -> dict[str, list[dict]]:
    async with open_accounts(settings_with(running.stack.env)) as accounts:
        second = (await accounts.create_user("bench-b", label="bench")).key.key
    results: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    async with (
        httpx.AsyncClient(base_url=running.url, headers=running.headers, timeout=60) as a,
        httpx.AsyncClient(base_url=running.url, timeout=60,
                          headers={"Authorization": f"Bearer {second}"}) as b,
    ):  # fmt: skip
        await run_job(a, job(provider, sentence()))  # warm up: engines, connections
        for _ in range(rounds):
            text = sentence()
            for kind, client, said in zip(KINDS, (a, a, b, b), (text, text, text, sentence()),
                                          strict=True):  # fmt: skip
                results[kind].append(await run_job(client, job(provider, said)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--provider", choices=sorted(VOICES), default="espeak")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with running_stack({"TTSJOBS_PROVIDERS": '["espeak", "piper"]'}) as running:
        results = asyncio.run(measure(running, args.provider, args.rounds))
    print(machine_line(args.rounds))
    print(f"provider: {args.provider}")
    print("| job | turn synthesis_ms | job latency_ms | cache hits |")
    print("| --- | ---: | ---: | ---: |")
    for kind, found in results.items():
        synthesis = statistics.median(r["turn_timings"][0]["synthesis_ms"] for r in found)
        latency = statistics.median(r["latency_ms"] for r in found)
        hits = sum(r["cache_hits"] for r in found)
        print(f"| {kind} | {synthesis:.0f} | {latency:.0f} | {hits} of {len(found)} |")


if __name__ == "__main__":
    main()
