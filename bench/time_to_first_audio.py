"""Benchmark: time to first audio of a long job, heard while it renders (issue 34). A two-host
Mandarin podcast on Kokoro, 120 turns (about 30 minutes of speech), each run with new text so no
turn comes from the segment cache. Measured from the job's start (JobStarted's time, the
worker's clock, on this machine) until its live playlist (``GET /jobs/{id}/live.m3u8``) lists
the first segment, and until that segment downloads; then the job is cancelled, since the rest
of it says nothing about its beginning.

    .venv/bin/python bench/time_to_first_audio.py [--runs 3] [--turns 120]

Starts the embedded stack in a temporary folder, warms Kokoro with one job, prints a Markdown
table, and stops everything. The goal is ≤ 3 s from the job starting.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import SUBMIT, machine_line, running_stack

HOSTS = {"主持人": "zf_xiaoxiao", "來賓": "zm_yunxi"}
LINES = [
    "歡迎回到我們的節目，今天要聊的是城市裡的渡輪，還有每天搭船上班的人。",
    "謝謝邀請。我搭渡輪十幾年了，早上六點的那班船總是擠滿了趕路的人。",
    "聽說上個月因為颱風停駛了好幾天，大家只好改走那座老橋，塞車塞得很厲害。",
    "對，那幾天我每天提早一個小時出門，到公司還是遲到，老闆倒是很體諒。",
    "有人說應該再蓋一座橋，也有人覺得把渡輪的班次加密就夠了，你怎麼看？",
    "我覺得渡輪比較有意思，在船上可以看海、喝咖啡，心情會好很多。",
]
POLL_S = 0.1
SETTLE_S = 8.0


def podcast(take: str, turns: int) -> dict:
    speakers = list(HOSTS)
    return {
        "provider": "kokoro",
        "title": f"ttfa {take}",
        "turns": [
            {"speaker": speakers[i % 2], "text": f"第{i + 1}段，{take}。{LINES[i % len(LINES)]}"}
            for i in range(turns)
        ],
        "voice_assignments": {who: {"voice": voice} for who, voice in HOSTS.items()},
    }


def _started_at(client: httpx.Client, job_id: str, deadline: float) -> float:
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job.get("started_at"):
            return datetime.fromisoformat(job["started_at"]).timestamp()
        time.sleep(POLL_S)
    raise TimeoutError(f"job {job_id} never started")


def first_audio(client: httpx.Client, turns: int) -> dict[str, float]:
    """Seconds from the job's start to its first listed segment, and to that segment's bytes."""
    job_id = client.post(SUBMIT, json=podcast(uuid.uuid4().hex[:6], turns)).json()["id"]
    deadline = time.monotonic() + 120
    progressed = None  # when the job's view first counted a finished turn
    try:
        while time.monotonic() < deadline:
            view = client.get(f"/api/v1/jobs/{job_id}").json() if progressed is None else None
            if view is not None and view["progress"]["done"]:
                progressed = time.time()
            playlist = client.get(f"/api/v1/jobs/{job_id}/live.m3u8").text
            if "live/0.mp3" in playlist:
                listed = time.time()
                segment = client.get(f"/api/v1/jobs/{job_id}/live/0.mp3")
                fetched = time.time()
                assert segment.status_code == 200, segment.text
                started = _started_at(client, job_id, deadline)
                first_s = float(playlist.split("#EXTINF:", 1)[1].split(",", 1)[0])
                return {"progressed": (progressed or listed) - started, "listed": listed - started,
                        "fetched": fetched - started, "segment_s": first_s}  # fmt: skip
            time.sleep(POLL_S)
        raise TimeoutError(f"job {job_id}: no segment in 120 s")
    finally:
        client.post(f"/api/v1/jobs/{job_id}/cancel")
        _ended(client, job_id)


def _ended(client: httpx.Client, job_id: str) -> None:
    """Until the cancelled job has ended, and then until the engines have said the turns they
    were given before it did (they finish a turn they started: up to two turns of about 5 s).
    Otherwise the next run's first turn waits for them, and measures them."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if client.get(f"/api/v1/jobs/{job_id}").json()["status"] in ("cancelled", "completed"):
            break
        time.sleep(0.2)
    time.sleep(SETTLE_S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--turns", type=int, default=120)
    args = parser.parse_args()
    env = {"TTSJOBS_PROVIDERS": '["kokoro"]'}
    with (
        running_stack(env) as stack,
        httpx.Client(base_url=stack.url, headers=stack.headers, timeout=60) as client,
    ):
        first_audio(client, 4)  # Kokoro's first job loads its model and voices
        runs = []
        for _ in range(args.runs):
            runs.append(first_audio(client, args.turns))
    print(machine_line(args.runs))
    print()
    print(f"Kokoro, two-host Mandarin podcast of {args.turns} turns, {args.runs} runs (median)")
    print()
    print("| from the job's start to | seconds (median) | runs |")
    print("|---|---:|---|")
    for name, label in (
        ("progressed", "first turn synthesized (the job's view counts it)"),
        ("listed", "first segment listed"),
        ("fetched", "first segment fetched"),
    ):
        values = [r[name] for r in runs]
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(f"| {label} | {statistics.median(values):.2f} | {shown} |")
    lengths = ", ".join(f"{r['segment_s']:.1f}" for r in runs)
    print(f"| (first segment's length, s) | | {lengths} |")


if __name__ == "__main__":
    main()
