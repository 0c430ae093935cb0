"""Benchmark: the producer's headline (issue 34). A two-host Mandarin podcast on Kokoro, about 30
minutes of speech in 120 turns, pasted as a script: the hosts named by ``# voice`` lines, as a
producer would, MP3. Two configurations of the same script, side by side:

- ``features``: ``## chapter`` lines (six chapters), ``mastering=podcast``;
- ``plain``: no chapter lines, ``mastering=none``.

Kokoro times words on every job (no request switches it off), so both configurations pay for
word timing; ``bench/kokoro_engine.py`` is where the engine's own cost is measured.

Each run has a stack of its own (nothing cached from the run before) and new text (a number of
its own in every turn), warms Kokoro with a short job, then submits the podcast and measures,
on the worker's clock: wall time over the audio's duration (JobStarted to JobCompleted), and
time to first audio (from JobStarted until the live playlist lists its first segment). With
``kill``, synthesis is killed (kill -9, engine processes too) once half the turns are done,
and started again at once. Each run checks its result: loudness, true peak, chapters, timing.

    .venv/bin/python bench/producer_podcast.py [--rounds 1] [--turns 120] \
        [--lock /tmp/ttsjobs-pytest.lock]

Every round runs ``features`` and ``plain``, without and with the kill, in alternating order
(round 1: features first; round 2: plain first), each run under ``--lock`` when given (taken
per run, so other sessions' tests interleave). Prints a line per run as it ends, then a
Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import SUBMIT, machine_line, running_stack
from bench.time_to_first_audio import HOSTS, LINES

CHAPTERS = ["開場", "渡輪的歷史", "颱風那幾天", "橋還是船", "聽眾來信", "結語"]
POLL_S = 0.1
JOB_DEADLINE_S = 3600
PODCAST_LUFS, LUFS_TOLERANCE, PODCAST_CEILING_DBTP = -16.0, 1.0, -1.0


@dataclass(frozen=True)
class Config:
    name: str
    chapters: bool
    mastering: str
    kill: bool

    @property
    def label(self) -> str:
        return f"{self.name}{', kill -9 half way' if self.kill else ''}"


FEATURES = Config("features", chapters=True, mastering="podcast", kill=False)
PLAIN = Config("plain", chapters=False, mastering="none", kill=False)


def podcast_script(take: int, turns: int, *, chapters: bool) -> str:
    """The script a producer pastes: a title, the hosts' voices, ``## `` chapters evenly
    spread; each turn two of the shared lines (about 15 s of speech) after its own number."""
    speakers = list(HOSTS)
    lines = [f"# 城市渡輪 第{take}集"]
    lines += [f"# voice {who}: {voice}" for who, voice in HOSTS.items()]
    per_chapter = max(1, -(-turns // len(CHAPTERS)))
    for i in range(turns):
        if chapters and i % per_chapter == 0:
            lines.append(f"## {CHAPTERS[i // per_chapter % len(CHAPTERS)]}")
        said = LINES[i % len(LINES)] + LINES[(i + 3) % len(LINES)]
        lines.append(f"{speakers[i % 2]}：第{i + 1}段，編號{take}。{said}")
        lines.append("")
    return "\n".join(lines)


def _submit(client: httpx.Client, script: str, mastering: str) -> str:
    response = client.post(
        SUBMIT,
        content=script.encode(),
        headers={"Content-Type": "text/plain; charset=utf-8"},
        params={"provider": "kokoro", "output_format": "mp3", "mastering": mastering},
    )
    response.raise_for_status()
    return str(response.json()["id"])


def _wait_completed(client: httpx.Client, job_id: str, timeout_s: float) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed", "cancelled"):
            if job["status"] != "completed":
                raise RuntimeError(f"job {job_id} {job['status']}: {job.get('error_message')}")
            return dict(job)
        time.sleep(0.5)
    raise TimeoutError(f"job {job_id} not completed in {timeout_s} s")


def _stamp(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def run_once(config: Config, turns: int) -> dict:
    """One run on a stack of its own: the podcast, measured and checked."""
    env = {"TTSJOBS_PROVIDERS": '["kokoro"]'}
    with (
        running_stack(env) as stack,
        httpx.Client(base_url=stack.url, headers=stack.headers, timeout=60) as client,
    ):
        warm = _submit(client, podcast_script(random.randrange(10**6), 2, chapters=False), "none")
        _wait_completed(client, warm, 300)  # Kokoro's first job loads its model and voices
        take = random.randrange(10**6)
        job_id = _submit(client, podcast_script(take, turns, chapters=config.chapters),
                         config.mastering)  # fmt: skip
        listed_at = None  # when the live playlist first listed a segment (this clock)
        killed_at_turn = None
        deadline = time.monotonic() + JOB_DEADLINE_S
        loads = []  # the machine's 1-minute load, sampled while the job runs
        while time.monotonic() < deadline:
            if (
                listed_at is None
                and "live/0." in client.get(f"/api/v1/jobs/{job_id}/live.m3u8").text
            ):
                listed_at = time.time()  # fmt: skip
            view = client.get(f"/api/v1/jobs/{job_id}").json()
            if view["status"] in ("completed", "failed", "cancelled"):
                break
            loads.append(os.getloadavg()[0])
            done = view["progress"]["done"]
            if config.kill and killed_at_turn is None and done >= turns // 2:
                stack.stack.kill_service("synthesis")
                killed_at_turn = done
                stack.stack.start_service("synthesis")
            time.sleep(POLL_S if listed_at is None else 1.0)
        job = _wait_completed(client, job_id, max(1.0, deadline - time.monotonic()))
    return _measured(config, job, listed_at, killed_at_turn, loads)


def _measured(
    config: Config,
    job: dict,
    listed_at: float | None,
    killed_at_turn: int | None,
    loads: list[float],
) -> dict:
    result = job["result"]
    started, completed = _stamp(job["started_at"]), _stamp(job["completed_at"])
    audio_s = result["duration_ms"] / 1000
    timings = result["turn_timings"]
    turns_done_s = max(t["synthesis_offset_ms"] + t["synthesis_ms"] for t in timings) / 1000
    loudness = result.get("loudness") or {}
    lufs, peak = loudness.get("integrated_lufs"), loudness.get("true_peak_dbtp")
    checks = []
    if config.mastering == "podcast":
        checks.append(lufs is not None and abs(lufs - PODCAST_LUFS) <= LUFS_TOLERANCE)
        checks.append(peak is not None and peak <= PODCAST_CEILING_DBTP)
    if config.chapters:
        checks.append([c["title"] for c in result["chapters"]] == CHAPTERS)
    checks.append(result.get("timing") is not None)  # Kokoro timed the words
    return {
        "config": config.label,
        "audio_min": audio_s / 60,
        "wall_s": completed - started,
        "factor": (completed - started) / audio_s,
        "first_audio_s": None if listed_at is None else listed_at - started,
        # After the last turn: assembling, mastering, encoding and storing the file.
        "finish_s": result["latency_ms"] / 1000 - turns_done_s,
        "synthesis_s": sum(t["synthesis_ms"] for t in timings if not t["cache_hit"]) / 1000,
        "cache_hits": result["cache_hits"],
        "killed_at_turn": killed_at_turn,
        "lufs": lufs,
        "dbtp": peak,
        "lra": loudness.get("loudness_range_lu"),
        "chapters": len(result["chapters"]),
        "timed": result.get("timing") is not None,
        "checks_pass": all(checks),
        "load": (
            min(loads, default=0.0),
            statistics.median(loads or [0.0]),
            max(loads, default=0.0),
        ),
    }


@contextlib.contextmanager
def _held(lock: str | None) -> Iterator[None]:
    if lock is None:
        yield
        return
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    time.sleep(10)  # flock is not a queue: let a session waiting on it take it before the next run


def _schedule(rounds: int, configs: list[Config]) -> list[Config]:
    order = []
    for r in range(rounds):
        pairs = [(FEATURES, PLAIN), (PLAIN, FEATURES)][r % 2]
        for kill in (False, True):
            order += [Config(c.name, c.chapters, c.mastering, kill) for c in pairs]
    return [c for c in order if c.name in {x.name for x in configs}]


def timing_cost(turns: int, rounds: int) -> None:
    """What word timing costs the engine, in this process with one thread: the share of
    ``synthesize`` spent mapping phoneme times to words and characters (``timing_of``), and
    the patched model's inference against the original's on the same tokens (alternating)."""
    import onnxruntime
    from kokoro_onnx import Kokoro

    from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN
    from ttsjobs_synthesis.providers import kokoro as kokoro_module
    from ttsjobs_synthesis.providers import kokoro_assets
    from ttsjobs_synthesis.providers.kokoro import LANGUAGES, KokoroProvider

    provider = KokoroProvider(threads=1)
    provider.warm_up()
    mapping = [0.0]
    original = kokoro_module.timing_of

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            mapping[0] += time.perf_counter() - began

    kokoro_module.timing_of = counted
    voice = HOSTS[next(iter(HOSTS))]
    texts = [podcast_script(7, turns, chapters=False).splitlines()[3 + 2 * i].split("：", 1)[1]
             for i in range(turns)]  # fmt: skip
    began = time.perf_counter()
    for text in texts:
        provider.synthesize(text, voice, speed=1.0)
    total = time.perf_counter() - began
    kokoro_module.timing_of = original
    print(f"timing_of: {mapping[0]:.3f} s of {total:.1f} s synthesize ({turns} turns), "
          f"{100 * mapping[0] / total:.2f} %")  # fmt: skip

    folder = kokoro_assets.default_dir()
    sessions = {}
    for name, model in (("original", kokoro_assets.check_model(folder)),
                        ("timed", kokoro_assets.check_timed_model(folder))):  # fmt: skip
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads = 1, 1
        session = onnxruntime.InferenceSession(str(model), sess_options=options,
                                               providers=["CPUExecutionProvider"])  # fmt: skip
        sessions[name] = Kokoro.from_session(session, str(folder / kokoro_assets.VOICES_FILE))
    style = provider._styles[voice]
    phonemes = [provider._phoneme_map(t, LANGUAGES["z"], PLAIN).phonemes for t in texts]
    spent = {name: 0.0 for name in sessions}
    for r in range(rounds):
        for name in sorted(sessions, reverse=r % 2 == 1):
            kokoro = sessions[name]
            for said in phonemes:
                tokens = kokoro.tokenizer.tokenize(said)[:500]
                began = time.perf_counter()
                kokoro._infer(tokens, kokoro._style_for(style, len(tokens)), 1.0)
                spent[name] += time.perf_counter() - began
    ratio = spent["timed"] / spent["original"]
    print(f"inference, {rounds} rounds of {turns} turns: original {spent['original']:.1f} s, "
          f"timed {spent['timed']:.1f} s, timed / original {ratio:.3f}")  # fmt: skip


def _cell(value: float | None, fmt: str) -> str:
    return "–" if value is None else format(value, fmt)


def _load(load: tuple[float, float, float]) -> str:
    low, median, high = load
    return f"{median:.1f} ({low:.1f}–{high:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--turns", type=int, default=120)
    parser.add_argument("--only", choices=["features", "plain"], help="one configuration")
    parser.add_argument("--no-kill", action="store_true", help="skip the runs with a kill -9")
    parser.add_argument("--lock", help="a flock file taken around each run")
    parser.add_argument(
        "--timing-cost", action="store_true", help="only the engine's word timing, no servers"
    )
    args = parser.parse_args()
    if args.timing_cost:
        timing_cost(min(args.turns, 6), max(1, args.rounds) * 2)
        return
    configs = [c for c in (FEATURES, PLAIN) if args.only in (None, c.name)]
    rows = []
    for config in _schedule(args.rounds, configs):
        if args.no_kill and config.kill:
            continue
        with _held(args.lock):
            row = run_once(config, args.turns)
        rows.append(row)
        print(row, flush=True)
    print()
    print(machine_line(len(rows)).replace(f"{len(rows)} runs, median (± half the spread).",
                                          "Each run listed."))  # fmt: skip
    print()
    print("| run | audio min | wall s | wall / audio | first audio s | finish s | LUFS | dBTP |"
          " LRA | chapters | checks | load, 1 min: median (min–max) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in rows:
        print(
            f"| {r['config']} | {r['audio_min']:.1f} | {r['wall_s']:.0f} | {r['factor']:.3f}× |"
            f" {_cell(r['first_audio_s'], '.2f')} | {r['finish_s']:.1f} |"
            f" {_cell(r['lufs'], '.2f')} | {_cell(r['dbtp'], '.2f')} | {_cell(r['lra'], '.1f')} |"
            f" {r['chapters']} | {'pass' if r['checks_pass'] else 'FAIL'} | {_load(r['load'])} |"
        )
    for name in ("features", "plain"):
        factors = [r["factor"] for r in rows if r["config"] == name]
        if factors:
            print(f"\n{name}, no kill: median {statistics.median(factors):.3f}×", end="")
    print()


if __name__ == "__main__":
    main()
