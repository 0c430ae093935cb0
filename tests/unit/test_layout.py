"""The layout's rules, read from the source: every package's folder is its import name and sits
where pyproject.toml looks for packages, libs/ imports no application or service and has no
arrow running back up inside it, the contracts import nothing else of ours, no service imports
another, the gateway imports only down its floors, and only the synthesis registry names a
provider module."""

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


def test_every_service_has_its_console_script():
    # The compose services and the Deployments run `ttsjobs-<name>`; ttsjobs dev runs modules.
    scripts = PYPROJECT["project"]["scripts"]
    for package in SERVICES:
        name = package.removeprefix("ttsjobs_")
        assert scripts.get(f"ttsjobs-{name}", "").startswith(f"{package}."), name


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


GATEWAY = PACKAGES["ttsjobs_gateway"]
# The gateway's floors, top down: entry points → handlers → reads and feeds → live. The base
# (errors, config, schemas, limits…) is beneath them all and imports none of them; main.py,
# the composition root, may import anything.
_ENTRY = {"state", "auth", "bodies", "scripts", "ssml", "openai_compat"}
_CAN_IMPORT = {
    "base": {"base"},
    "live": {"live", "base"},
    "reads": {"reads", "live", "base"},
    "feeds": {"feeds", "live", "base"},
    "handlers": {"handlers", "reads", "feeds", "base"},
    "entry": {"entry", "handlers", "reads", "feeds", "base"},
}


def _floor(parts: tuple[str, ...]) -> str:
    """The floor of ttsjobs_gateway.<parts…>."""
    top = parts[0] if parts else ""
    if top in ("live", "reads", "feeds"):
        return top
    if top in ("handlers", "job_changes"):
        return "handlers"
    if top == "entrypoints" or top in _ENTRY:
        return "entry"
    return "root" if top == "main" else "base"


def _gateway_imports(path: Path) -> set[tuple[str, ...]]:
    """The gateway modules ``path`` imports, as parts after ttsjobs_gateway."""
    found: set[tuple[str, ...]] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            parts = tuple(node.module.split("."))
            if parts[0] != "ttsjobs_gateway":
                continue
            if len(parts) == 1 or parts[1:] in (("reads",), ("feeds",), ("live",)):
                found |= {(*parts[1:], alias.name) for alias in node.names}
            else:
                found.add(parts[1:])
        elif isinstance(node, ast.Import):
            found |= {
                tuple(alias.name.split("."))[1:]
                for alias in node.names
                if alias.name.startswith("ttsjobs_gateway.")
            }
    return found


def test_the_gateway_imports_only_down_its_floors():
    wrong = []
    for path in sorted(GATEWAY.rglob("*.py")):
        floor = _floor(path.relative_to(GATEWAY).with_suffix("").parts)
        if floor == "root":
            continue
        for imported in _gateway_imports(path):
            if _floor(imported) not in _CAN_IMPORT[floor]:
                wrong.append(f"{path.relative_to(GATEWAY)} ({floor}) imports {'.'.join(imported)}")
    assert not wrong, wrong


def test_the_floor_rule_catches_a_read_that_reaches_into_the_feeds():
    # The rule above, shown able to fail: a read importing the fan-out, an entry point
    # importing the tap directly, the live cache importing a read.
    assert "feeds" not in _CAN_IMPORT[_floor(("reads", "current"))]
    assert "live" not in _CAN_IMPORT[_floor(("entrypoints", "ws_jobs"))]
    assert "reads" not in _CAN_IMPORT[_floor(("live", "live_jobs"))]
    assert _gateway_imports(GATEWAY / "reads" / "current.py") >= {("live", "live_jobs")}


def test_observability_is_handed_what_it_needs_from_messaging():
    # The dead-letter count is passed to the probe: observability imports no messaging.
    ours = _imports(PACKAGES["ttsjobs"] / "observability")
    assert not {name for name in ours if name.startswith("ttsjobs.messaging")}


def test_only_the_registry_names_a_provider_module():
    # A provider is one file and one registry line: nothing else in synthesis imports it.
    from ttsjobs_synthesis.providers.registry import PROVIDERS

    synthesis = PACKAGES["ttsjobs_synthesis"]
    named = []
    for path in synthesis.rglob("*.py"):
        if "providers" in path.relative_to(synthesis).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module in PROVIDERS.values():
                named.append(f"{path.relative_to(synthesis)}: {node.module}")
            elif isinstance(node, ast.Import):
                names = {alias.name for alias in node.names} & set(PROVIDERS.values())
                named += [f"{path.relative_to(synthesis)}: {name}" for name in names]
    assert PROVIDERS and not named, named
