"""Casting's cost against the number of speakers (issue 29, defect 1's root): no servers.

A script of N speakers with one short turn each, none given a voice, cast into the installed
providers' real catalogues (kokoro, piper, espeak), by today's ``cast`` and, with ``--before
<commit>``, by that commit's casting.py beside it (loaded from git, same catalogues).

    .venv/bin/python -m bench.casting_speakers --speakers 2500 10000 20000 100000 --before 2969328
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ttsjobs.contracts.casting import cast
from ttsjobs.contracts.job_request import MultiRoleRequest


def _catalogues() -> dict[str, Any]:
    from ttsjobs_synthesis.providers.espeak import EspeakProvider
    from ttsjobs_synthesis.providers.kokoro import KokoroProvider
    from ttsjobs_synthesis.providers.piper import PiperProvider

    return {p.name: p.catalogue() for p in (KokoroProvider(), PiperProvider(), EspeakProvider())}


def _casting_at(commit: str) -> Any:
    source = subprocess.run(
        ["git", "show", f"{commit}:libs/ttsjobs/contracts/casting.py"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    path = Path(tempfile.mkdtemp()) / "casting_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("casting_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cast


def _seconds(fn: Any, request: MultiRoleRequest, catalogues: dict[str, Any]) -> float:
    start = time.perf_counter()
    fn(request, catalogues)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speakers", type=int, nargs="+", default=[2500, 10000, 20000])
    parser.add_argument("--before", help="a commit whose casting.py to time beside today's")
    args = parser.parse_args(argv)
    catalogues = _catalogues()
    before = _casting_at(args.before) if args.before else None
    print("| speakers | cast (s) |" + (f" {args.before} (s) |" if before else ""))
    print("| ---: | ---: |" + (" ---: |" if before else ""))
    for n in args.speakers:
        turns = [{"speaker": f"S{i}", "text": "hi"} for i in range(n)]
        request = MultiRoleRequest.model_validate({"turns": turns})
        row = f"| {n:,} | {_seconds(cast, request, catalogues):.3f} |"
        if before is not None:
            row += f" {_seconds(before, request, catalogues):.3f} |"
        print(row, flush=True)


if __name__ == "__main__":
    sys.exit(main())
