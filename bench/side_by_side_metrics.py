"""What bench/side_by_side.py reads from one round of each benchmark it knows: the command of a
round, and the numbers taken from what that round printed.

A round is one ``--runs 1`` of the benchmark. Each metric says which way is better, so the
comparison can say whether a commit is worse beyond the other's spread. Ratios against a baseline
measured in the same round (bare FastAPI, Celery + Redis) move less with the machine's load than
the absolute numbers; both are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Numbers = dict[str, float]


@dataclass(frozen=True)
class Metric:
    name: str
    higher_is_better: bool


@dataclass(frozen=True)
class Bench:
    script: str  # relative to the tree of the commit: each commit runs its own script
    args: tuple[str, ...]
    metrics: tuple[Metric, ...]
    parse: Callable[[str], Numbers]


def _reads(out: str) -> Numbers:
    get = re.search(
        r"GET job: bare (\d+)/s ([\d.]+) ms CPU/request, gateway (\d+)/s ([\d.]+) ms", out
    )
    lists = dict(re.findall(r"list p99 at (\d+) rows: \[([\d.]+)", out))
    if get is None or "1000000" not in lists:
        raise ValueError("no GET job line or no list p99 at 1M rows")
    bare_rate, bare_cpu, rate, cpu = (float(g) for g in get.groups())
    return {
        "GET job, gateway req/s": rate,
        "GET job, gateway / bare req/s": rate / bare_rate,
        "GET job, gateway CPU ms per request": cpu,
        "GET job, CPU as a rate (bare / gateway)": bare_cpu / cpu,
        "list p99 at 10k rows, ms": float(lists["10000"]),
        "list p99 at 1M rows, ms": float(lists["1000000"]),
    }


_FANOUT_LINE = re.compile(
    r"run \d+ (\w+): \d+ deliveries, p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms, "
    r"gateway RSS (\d+) MB; CPU per delivery: gateway (\d+) µs"
)


def _fanout(out: str) -> Numbers:
    numbers = {}
    for job, p50, p99, _max, rss, gateway_us in _FANOUT_LINE.findall(out):
        numbers[f"{job} p50, ms"] = float(p50)
        numbers[f"{job} p99, ms"] = float(p99)
        numbers[f"{job}: gateway CPU µs per delivery"] = float(gateway_us)
        numbers["gateway RSS after the run, MB"] = float(rss)
    if not {"piper p99, ms", "tone p99, ms"} <= numbers.keys():
        raise ValueError("no piper and tone lines")
    return numbers


_PIPELINE_RUN = re.compile(r"run \d+ (ttsjobs|celery): ([\d.]+) jobs/s, p50 ([\d.]+) ms")
_PIPELINE_CPU = re.compile(r"^- (ttsjobs|celery): [\d.]+ ms in all; (.*)$", re.MULTILINE)


def _cpu_by_process(listed: str) -> Numbers:
    """``synthesis 4.8, gateway 2.6, celery worker 0.1`` as a dict (names may hold spaces)."""
    pairs = (item.rsplit(" ", 1) for item in listed.split(", "))
    return {name: float(ms) for name, ms in pairs}


def _pipeline(out: str) -> Numbers:
    runs = {name: (float(rate), float(p50)) for name, rate, p50 in _PIPELINE_RUN.findall(out)}
    cpu = {name: _cpu_by_process(listed) for name, listed in _PIPELINE_CPU.findall(out)}
    if runs.keys() != {"ttsjobs", "celery"} or cpu.keys() != {"ttsjobs", "celery"}:
        raise ValueError("no ttsjobs and celery lines")
    # Each system's own processes, the benchmark's client left out: every listed process is
    # sampled during either system's run, so the other system's idle processes are in "all".
    ours = sum(ms for name, ms in cpu["ttsjobs"].items() if _is_ttsjobs(name))
    theirs = sum(ms for name, ms in cpu["celery"].items() if _is_celery(name))
    return {
        "ttsjobs jobs/s": runs["ttsjobs"][0],
        "throughput vs Celery": runs["ttsjobs"][0] / runs["celery"][0],
        "ttsjobs latency p50, ms": runs["ttsjobs"][1],
        "p50 vs Celery": runs["ttsjobs"][1] / runs["celery"][1],
        "ttsjobs CPU per job, ms (client excluded)": ours,
        "CPU per job vs Celery": ours / theirs,
        "gateway CPU per job, ms": cpu["ttsjobs"]["gateway"],
        "synthesis CPU per job, ms": cpu["ttsjobs"]["synthesis"],
    }


def _is_celery(process: str) -> bool:
    return process.startswith("celery") or process in ("redis", "s3", "postgresql")


def _is_ttsjobs(process: str) -> bool:
    return not process.startswith("celery") and process not in ("redis", "bench client")


BENCHES = {
    "reads": Bench(
        "bench/reads.py",
        ("--runs", "1"),
        (
            Metric("GET job, gateway req/s", True),
            Metric("GET job, gateway / bare req/s", True),
            Metric("GET job, gateway CPU ms per request", False),
            Metric("GET job, CPU as a rate (bare / gateway)", True),
            Metric("list p99 at 10k rows, ms", False),
            Metric("list p99 at 1M rows, ms", False),
        ),
        _reads,
    ),
    # Lean clients: the measure since issue 17's fifth pass (the clients' CPU otherwise takes
    # the gateway's share of the two cores).
    "fanout": Bench(
        "bench/ws_fanout.py",
        ("--runs", "1", "--lean-clients"),
        (
            Metric("piper p50, ms", False),
            Metric("piper p99, ms", False),
            Metric("tone p50, ms", False),
            Metric("tone p99, ms", False),
            Metric("piper: gateway CPU µs per delivery", False),
            Metric("tone: gateway CPU µs per delivery", False),
            Metric("gateway RSS after the run, MB", False),
        ),
        _fanout,
    ),
    "pipeline": Bench(
        "bench/pipeline_vs_celery.py",
        ("--runs", "1"),
        (
            Metric("ttsjobs jobs/s", True),
            Metric("throughput vs Celery", True),
            Metric("ttsjobs latency p50, ms", False),
            Metric("p50 vs Celery", False),
            Metric("ttsjobs CPU per job, ms (client excluded)", False),
            Metric("CPU per job vs Celery", False),
            Metric("gateway CPU per job, ms", False),
            Metric("synthesis CPU per job, ms", False),
        ),
        _pipeline,
    ),
}
