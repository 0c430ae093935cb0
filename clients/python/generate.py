"""Write ttsjobs_client/_generated from an OpenAPI document with the pinned
openapi-python-client (its settings in openapi-python-client.yaml). ``make schemas`` runs it on
proto-schemas/openapi.json; tests/unit/test_python_sdk_drift.py runs it into a temp dir and
compares with what is committed.

    python clients/python/generate.py proto-schemas/openapi.json [--into DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "openapi-python-client.yaml"
TARGET = HERE / "ttsjobs_client" / "_generated"


def settings(document: Path) -> dict[str, Any]:
    """Our settings, with what the document's export says the generator needs (the media types
    it reads only when told they are bytes or text: proto-schemas/openapi-python-client.yaml)."""
    ours: dict[str, Any] = yaml.safe_load(CONFIG.read_text())
    beside = document.parent / CONFIG.name
    if beside.exists():
        theirs: dict[str, Any] = yaml.safe_load(beside.read_text()) or {}
        for name, value in theirs.items():
            ours[name] = {**ours.get(name, {}), **value} if isinstance(value, dict) else value
    return ours


def generate(document: Path, into: Path = TARGET) -> str:
    """Replace ``into`` with the client generated from ``document``; returns the generator's
    warnings (operations or responses it left out), empty when there were none."""
    bin_dir = Path(sys.executable).parent  # the generator and its ruff post-hooks, from the venv
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "_generated"
        config = Path(scratch) / "config.yaml"
        config.write_text(yaml.safe_dump(settings(document)))
        done = subprocess.run(
            [bin_dir / "openapi-python-client", "generate", "--path", document.resolve(),
             "--config", config, "--meta", "none", "--output-path", out],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0 or not out.is_dir():
            raise SystemExit(f"openapi-python-client failed:\n{done.stdout}\n{done.stderr}")
        shutil.rmtree(into, ignore_errors=True)
        shutil.copytree(out, into, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache"))
    output = done.stdout + done.stderr
    lines = [line for line in output.splitlines() if line.strip()]
    # Each warning, with the line after it that says why.
    said = [f"{line}\n  {lines[n + 1] if n + 1 < len(lines) else ''}" for n, line in
            enumerate(lines) if line.startswith("WARNING")]  # fmt: skip
    return "\n".join(said)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document", type=Path)
    parser.add_argument("--into", type=Path, default=TARGET)
    args = parser.parse_args()
    warnings = generate(args.document, args.into)
    if warnings:
        print(f"openapi-python-client left pieces out:\n{warnings}", file=sys.stderr)


if __name__ == "__main__":
    main()
