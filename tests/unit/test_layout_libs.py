"""libs/ has no arrow running back up: observability is told what it needs from messaging (the
dead-letter count is handed to the probe), it does not import it."""

from __future__ import annotations

import ast
from pathlib import Path

LIBS = Path(__file__).resolve().parents[2] / "libs" / "ttsjobs"


def _imports(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    return names


def test_observability_imports_nothing_from_messaging():
    imported = _imports(LIBS / "observability")
    assert not {name for name in imported if name.startswith("ttsjobs.messaging")}
