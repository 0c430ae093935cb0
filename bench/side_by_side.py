"""Benchmark two commits side by side in one run, alternating, so the machine's noise hits both.

    .venv/bin/python bench/side_by_side.py {reads,fanout,pipeline} BASE NEW [--rounds 3] [-- ARGS]

Each commit is unpacked (``git archive``) into /tmp/bench-<sha>, and each round runs that tree's
own benchmark script once (``--runs 1``) with this venv's interpreter and ``PYTHONPATH`` set to
that tree's libs/, services/*/ and tools/; the order flips every round (A B, B A, A B, …).
Before the rounds a child prints where it imports our packages from, and the run stops unless
every one is in the tree (the venv's editable install would otherwise map them to the checkout).

The benchmarks' own helper processes (the Celery baseline, reads' bare app) set ``PYTHONPATH`` to
the tree's root; each of our packages is linked there too, so those resolve in the tree as well.

Each round (both commits) holds /tmp/ttsjobs-pytest.lock (``--lock``; ``--rounds-per-lock`` for
more rounds per hold), the lock the test sessions on this machine take, so no test runs during
a round. Prints each round's numbers, then per metric each commit's median and spread
(min–max), the median of the per-round NEW / BASE ratios with their range, and whether NEW's
median is worse than BASE's whole range. Every round's output is kept in ``--logs``.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.side_by_side_metrics import BENCHES, Bench, Metric, Numbers

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PACKAGES = ("ttsjobs", "ttsjobs_cli", "ttsjobs_gateway", "ttsjobs_synthesis",
            "ttsjobs_projection", "ttsjobs_notifier")  # fmt: skip


def unpacked(commit: str) -> tuple[str, Path]:
    """The commit's full sha and its tree in /tmp/bench-<sha> (reused once complete)."""
    sha = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{commit}^{{commit}}"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    tree = Path(f"/tmp/bench-{sha[:12]}")
    done = tree / ".unpacked"
    if not done.exists():
        tree.mkdir(exist_ok=True)
        archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", sha], stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise RuntimeError(f"git archive {sha} failed")
        for folder in _package_folders(tree):
            link = tree / folder.name
            if not link.exists():
                link.symlink_to(folder.relative_to(tree))
        done.touch()
    return sha, tree


def _package_folders(tree: Path) -> list[Path]:
    roots = [tree / "libs", tree / "tools", *sorted((tree / "services").iterdir())]
    return [p.parent for root in roots for p in root.glob("*/__init__.py")]


def environment(tree: Path) -> dict[str, str]:
    roots = [tree / "libs", *sorted(p for p in (tree / "services").iterdir() if p.is_dir()),
             tree / "tools"]  # fmt: skip
    return {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in roots)}


def check_imports(tree: Path) -> None:
    """Fails unless a child with the tree's environment imports every package from the tree."""
    code = "import importlib\n" + "".join(
        f"print(importlib.import_module({name!r}).__file__)\n" for name in PACKAGES
    )
    out = subprocess.run(
        [str(PYTHON), "-c", code], env=environment(tree), cwd="/",
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    outside = [f for f in out if not Path(f).resolve().is_relative_to(tree.resolve())]
    print(f"{tree.name}: {out[PACKAGES.index('ttsjobs_gateway')]}", flush=True)
    if outside or len(out) != len(PACKAGES):
        raise RuntimeError(f"imported from outside {tree}: {outside}")


@contextmanager
def machine_lock(path: str | None):
    if not path:
        yield
        return
    with open(path, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


def one_round(bench: Bench, tree: Path, log: Path, extra: list[str], timeout_s: float) -> Numbers:
    args = [str(PYTHON), bench.script, *bench.args, *extra]
    started = time.monotonic()
    with log.open("w") as out:
        done = subprocess.run(
            args, cwd=tree, env=environment(tree), stdout=out, stderr=subprocess.STDOUT,
            timeout=timeout_s, check=False,
        )  # fmt: skip
    text = log.read_text()
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {done.returncode}; see {log}")
    numbers = bench.parse(text)
    numbers["round, s"] = time.monotonic() - started
    return numbers


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def run(args: argparse.Namespace) -> dict[str, list[Numbers]]:
    bench = BENCHES[args.bench]
    trees = dict(unpacked(c) for c in (args.base, args.new))
    for tree in trees.values():
        check_imports(tree)
    shas = list(trees)
    results: dict[str, list[Numbers]] = {sha: [] for sha in shas}
    logs = Path(args.logs)
    logs.mkdir(parents=True, exist_ok=True)
    for first in range(0, args.rounds, args.rounds_per_lock):
        with machine_lock(args.lock):
            for n in range(first, min(first + args.rounds_per_lock, args.rounds)):
                for sha in shas if n % 2 == 0 else shas[::-1]:
                    stamp = datetime.now(UTC).strftime("%H:%M:%S")
                    log = logs / f"{args.bench}-{sha[:7]}-{n + 1}.log"
                    numbers = one_round(bench, trees[sha], log, args.extra, args.timeout)
                    results[sha].append(numbers)
                    shown = ", ".join(f"{k} {v:.2f}" for k, v in numbers.items())
                    print(f"round {n + 1} {sha[:7]} ({stamp}, {_load()}): {shown}", flush=True)
    return results


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def verdict(metric: Metric, base: list[float], new: list[float]) -> str:
    """Worse beyond the spread: NEW's median outside BASE's range, on the bad side."""
    median = statistics.median(new)
    if metric.higher_is_better:
        worse, better = median < min(base), median > max(base)
    else:
        worse, better = median > max(base), median < min(base)
    return "**worse**" if worse else "better" if better else "within"


def table(bench: Bench, base: list[Numbers], new: list[Numbers], names: tuple[str, str]) -> str:
    lines = [
        f"| metric | {names[0]}: rounds | median (min–max) | {names[1]}: rounds "
        "| median (min–max) | new / base per round: median (min–max) | new vs base's spread |",
        "| --- | --- | ---: | --- | ---: | ---: | --- |",
    ]
    for metric in bench.metrics:
        a = [r[metric.name] for r in base]
        b = [r[metric.name] for r in new]
        ratios = [y / x for x, y in zip(a, b, strict=False) if x]
        arrow = "↑" if metric.higher_is_better else "↓"
        lines.append(
            f"| {metric.name} ({arrow} better) | {', '.join(f'{v:.2f}' for v in a)} | "
            f"{_spread(a)} | {', '.join(f'{v:.2f}' for v in b)} | {_spread(b)} | "
            f"{_spread(ratios)} | {verdict(metric, a, b)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bench", choices=sorted(BENCHES))
    parser.add_argument("base")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lock", default="/tmp/ttsjobs-pytest.lock",
                        help="held during each pair of a round; '' for none")  # fmt: skip
    # The queue for the lock is long on a busy day: a few short rounds under one hold waste
    # less of the run waiting, at the cost of tests waiting longer (keep a hold under ~12 min).
    parser.add_argument("--rounds-per-lock", type=int, default=1)
    parser.add_argument("--logs", default="/tmp/bench-side-by-side")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per round")
    # What follows `--` goes to the benchmark (argparse's REMAINDER would also take our options).
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:cut])
    args.extra = argv[cut + 1 :]
    results = run(args)
    base, new = results.values()
    names = tuple(sha[:7] for sha in results)
    print(f"\n{args.bench}: {args.rounds} rounds each, alternating, "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")  # fmt: skip
    print(table(BENCHES[args.bench], base, new, names))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
