"""The layout's rules, read from the source: every package's folder is its import name and sits
where pyproject.toml looks for packages, libs/ imports no application or service, the contracts
import nothing else of ours, and no service imports another."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
WHERE = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["where"]
PACKAGES = {
    folder.name: folder
    for where in WHERE
    for folder in (ROOT / where).iterdir()
    if (folder / "__init__.py").is_file()
}
SERVICES = {folder.name for folder in ROOT.glob("services/*/ttsjobs_*")}


def _imports(folder: Path) -> set[str]:
    """Every absolute module name imported anywhere under ``folder``."""
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    return names


def _ours(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names} & set(PACKAGES)


def test_each_service_folder_holds_its_package_and_is_found():
    for folder in sorted((ROOT / "services").iterdir()):
        assert (folder / f"ttsjobs_{folder.name}" / "__init__.py").is_file(), folder.name
        assert f"services/{folder.name}" in WHERE, folder.name
    assert {"ttsjobs", "ttsjobs_cli"} | SERVICES == set(PACKAGES)


def test_every_console_script_is_in_a_found_package():
    for script, target in PYPROJECT["project"]["scripts"].items():
        assert target.split(".")[0] in PACKAGES, script


def test_libs_import_no_application_or_service():
    assert _ours(_imports(ROOT / "libs")) == {"ttsjobs"}


def test_contracts_import_nothing_else_of_ours():
    ours = {name for name in _imports(PACKAGES["ttsjobs"] / "contracts") if _ours({name})}
    assert all(name.startswith("ttsjobs.contracts") for name in ours), ours


def test_no_service_imports_another():
    for name in SERVICES:
        assert _ours(_imports(PACKAGES[name])) <= {"ttsjobs", name}, name


def test_the_asyncio_helpers_stand_below_the_rest_of_libs():
    ours = {name for name in _imports(PACKAGES["ttsjobs"] / "aio") if _ours({name})}
    assert all(name.startswith("ttsjobs.aio") for name in ours), ours


def test_messaging_borrows_nothing_from_runtime():
    ours = _imports(PACKAGES["ttsjobs"] / "messaging")
    assert not {name for name in ours if name.startswith("ttsjobs.runtime")}
