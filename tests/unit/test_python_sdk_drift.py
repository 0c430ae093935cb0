"""The committed client (clients/python/ttsjobs_client/_generated) is what the pinned generator
makes of proto-schemas/openapi.json: regenerated into a temp dir, every file the same. After a
contract change, `make schemas` rewrites both."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "clients/python/ttsjobs_client/_generated"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def test_the_generated_client_is_what_the_document_generates(tmp_path):
    spec = importlib.util.spec_from_file_location("generate", ROOT / "clients/python/generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(ROOT / "proto-schemas/openapi.json", tmp_path / "_generated")
    fresh, committed = _files(tmp_path / "_generated"), _files(COMMITTED)
    assert len(fresh) > 20, "the operations and models were generated"
    differ = sorted(name for name in fresh.keys() | committed.keys()
                    if fresh.get(name) != committed.get(name))  # fmt: skip
    assert not differ, f"run `make schemas`: {differ[:10]}"
