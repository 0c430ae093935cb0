"""Benchmark: what a voice preview costs, made and cached, against the one-turn job it replaced.

    .venv/bin/python bench/voice_previews.py [--rounds 5]

One stack with Kokoro only. Each round asks POST /api/v1/voices/preview at a speed not asked
before (a miss: synthesis speaks the line and stores it), then the same again (a hit: the
gateway reads the bucket), and submits the same line as a one-turn job, waiting until its audio
downloads (how the web app's 試聽 worked before). Last, previews missed while a long Mandarin
job keeps every Kokoro process busy: a preview waits for a free engine process as a turn does.
Reported: the median (± half the spread) of each, in ms, as the client sees them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import SUBMIT, machine_line, running_stack, summary
from ttsjobs.contracts.job_request import Reading
from ttsjobs.contracts.voice_previews import MANDARIN_LINES

PREVIEW = "/api/v1/voices/preview"
VOICE = "zf_xiaoxiao"
LINE = MANDARIN_LINES[Reading.taiwan]


def speeds() -> list[float]:
    """Kokoro's speeds at the previews' steps, but 1.0, which the warm-up job has cached."""
    return [s for s in (round(0.6 + 0.05 * i, 2) for i in range(29)) if s != 1.0]


async def timed(call) -> tuple[float, httpx.Response]:
    t0 = time.perf_counter()
    answer = await call
    return (time.perf_counter() - t0) * 1000, answer


async def as_a_job(client: httpx.AsyncClient, speed: float) -> float:
    t0 = time.perf_counter()
    role = {"voice": VOICE, "speed": speed, "reading": "taiwan"}
    body = {"provider": "kokoro", "title": "試聽", "turns": [{"speaker": "S", "text": LINE}],
            "voice_assignments": {"S": role}}  # fmt: skip
    job_id = (await client.post(SUBMIT, json=body)).raise_for_status().json()["id"]
    while (job := (await client.get(f"/api/v1/jobs/{job_id}")).json())["status"] != "completed":
        assert job["status"] in ("pending", "processing"), job
        await asyncio.sleep(0.01)  # polled as the web app did
    (await client.get(job["links"]["download"])).raise_for_status()
    return (time.perf_counter() - t0) * 1000


def long_job() -> dict:
    turns = [{"speaker": "S", "text": LINE * 6} for _ in range(12)]
    return {"provider": "kokoro", "title": "busy", "turns": turns,
            "voice_assignments": {"S": {"voice": "zm_yunxi"}}}  # fmt: skip


async def measure(url: str, headers: dict[str, str], rounds: int) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {"miss": [], "hit": [], "job": [], "miss, engines busy": []}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as client:
        await as_a_job(client, 1.0)  # warm up: engines, G2P, connections
        pace = iter(speeds())
        for _ in range(rounds):
            body = {"voice": VOICE, "reading": "taiwan", "speed": next(pace)}
            for kind in ("miss", "hit"):
                ms, answer = await timed(client.post(PREVIEW, json=body))
                answer.raise_for_status()
                found[kind].append(ms)
            found["job"].append(await as_a_job(client, body["speed"]))
        busy = (await client.post(SUBMIT, json=long_job())).raise_for_status().json()["id"]
        while (await client.get(f"/api/v1/jobs/{busy}")).json()["status"] == "pending":  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # polled as a client would: no event to wait on
        for _ in range(rounds):
            body = {"voice": VOICE, "reading": "taiwan", "speed": next(pace)}
            ms, answer = await timed(client.post(PREVIEW, json=body))
            answer.raise_for_status()
            found["miss, engines busy"].append(ms)
        await client.delete(f"/api/v1/jobs/{busy}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, choices=range(1, 15))
    args = parser.parse_args()
    with running_stack({"TTSJOBS_PROVIDERS": '["kokoro"]'}) as running:
        found = asyncio.run(measure(running.url, running.headers, args.rounds))
    print(machine_line(args.rounds))
    print(f"voice: {VOICE}, the Taiwan line ({len(LINE)} characters)")
    print("| asked | ms |")
    print("| --- | ---: |")
    for kind, values in found.items():
        print(f"| {kind} | {summary(values, digits=0)} |")


if __name__ == "__main__":
    main()
