"""proto-schemas/asyncapi.yaml read by the official AsyncAPI parser (@asyncapi/parser, pinned
in tools/asyncapi-check/package-lock.json and installed by make's install step: nothing is
fetched here): AsyncAPI 3.1, not one diagnostic of severity error, every message's payload
read through its $ref. A broken copy is refused, so the check can fail."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PROTO = ROOT / "proto-schemas"
CHECK = ROOT / "tools" / "asyncapi-check"


def _parse(document: Path) -> tuple[int, list[dict]]:
    node = shutil.which("node")
    assert node, "node is not installed"
    assert (CHECK / "node_modules" / "@asyncapi" / "parser").is_dir(), (
        "the AsyncAPI parser is not installed: `make unit` (npm ci in tools/asyncapi-check)"
    )
    done = subprocess.run(
        [node, str(CHECK / "check.mjs"), str(document)],
        capture_output=True, text=True, timeout=60, cwd=CHECK,
    )  # fmt: skip
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done.returncode, lines


def test_the_committed_asyncapi_document_parses_without_an_error():
    code, lines = _parse(PROTO / "asyncapi.yaml")
    errors = [line for line in lines if line.get("severity") == "error"]
    assert code == 0 and not errors, lines
    summary = lines[-1]
    committed = yaml.safe_load((PROTO / "asyncapi.yaml").read_text())
    assert committed["asyncapi"] == summary["parsed"] == "3.1.0"
    assert summary["messages"] == len(committed["components"]["messages"]) > 10
    assert summary["payloads_with_properties"] == summary["messages"]
    assert summary["operations"] == len(committed["operations"])


def test_a_broken_document_is_refused(tmp_path):
    shutil.copytree(PROTO / "events", tmp_path / "events")
    shutil.copytree(PROTO / "pronunciations", tmp_path / "pronunciations")
    shutil.copytree(PROTO / "voices", tmp_path / "voices")
    document = yaml.safe_load((PROTO / "asyncapi.yaml").read_text())
    first = next(iter(document["operations"].values()))
    first["channel"] = {"$ref": "#/channels/noSuchChannel"}
    first["action"] = "publish"  # AsyncAPI 2's word: 3 has send and receive
    (tmp_path / "asyncapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    code, lines = _parse(tmp_path / "asyncapi.yaml")
    assert code == 1
    assert [line for line in lines if line.get("severity") == "error"], lines
