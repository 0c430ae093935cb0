"""SQL lives in repository modules only, read from the source: in every service and the
command-line tool, every string literal that reads as SQL is in a module named repository.py,
schema.py or *_store.py, or, in the gateway, under reads/ (its one read port's queries); the
tool reads the projection's tables through libs/ttsjobs/readmodel/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COVERED = [
    ROOT / "services/projection/ttsjobs_projection",
    ROOT / "services/synthesis/ttsjobs_synthesis",
    ROOT / "services/notifier/ttsjobs_notifier",
    ROOT / "services/gateway/ttsjobs_gateway",
    ROOT / "tools/ttsjobs_cli",
]
GATEWAY_READS = ROOT / "services/gateway/ttsjobs_gateway/reads"
# The shapes of statements, not lone words: "DELETE" is also an HTTP method.
SQL = re.compile(
    r"\bSELECT\b.*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\S+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\b(CREATE|DROP|ALTER)\s+(TABLE|SCHEMA|INDEX)\b|\bLOCK\s+TABLE\b|\bGRANT\b.*\bON\b",
    re.DOTALL,
)


def _is_repository(path: Path) -> bool:
    named = path.name in ("repository.py", "schema.py") or path.stem.endswith("_store")
    return named or path.is_relative_to(GATEWAY_READS)


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal with its line; an f-string with ``{}`` for what it formats."""
    found: list[tuple[int, str]] = []
    inside_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
            found.append((node.lineno, text))
            inside_fstrings.update(id(part) for part in node.values)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in inside_fstrings:
                found.append((node.lineno, node.value))
    return found


def _sql_outside_repositories() -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line}: {text.strip()[:60]!r}"
        for folder in COVERED
        for path in sorted(folder.rglob("*.py"))
        if not _is_repository(path)
        for line, text in _strings(ast.parse(path.read_text(), str(path)))
        if SQL.search(text)
    ]


def test_sql_is_only_in_repository_modules():
    assert _sql_outside_repositories() == []


def test_the_scan_finds_sql_in_each_form_it_is_written():
    source = """
pool.fetch(f"SELECT {cols} FROM tts_jobs WHERE id = $1", job_id)
conn.execute("UPDATE tts_jobs SET read_model_error = $2 WHERE id = $1")
conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
api.request("DELETE", path)  # an HTTP method, not SQL
"""
    texts = [text for _, text in _strings(ast.parse(source)) if SQL.search(text)]
    assert texts == [
        "SELECT {} FROM tts_jobs WHERE id = $1",
        'DROP SCHEMA IF EXISTS "{}" CASCADE',
        "UPDATE tts_jobs SET read_model_error = $2 WHERE id = $1",
    ]
