"""The locks in requirements/ agree with pyproject.toml, and every install goes through them.

Each dependency that pyproject.toml names for an install set (the project's own, its
build-system's, and those of the extras the set takes) is pinned in that set's lock with `==`, to
a version pyproject's specifier allows, with at least one sha256. A lock that lags pyproject (a
dependency added or a floor raised without `make lock`) fails here, before pip refuses it on a
fresh machine. A package pinned in two locks has one version: bench installs beside dev in one
venv, and `make run` and the image get what the suite passed with.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# Each lock and the extras of its install set; the stamp (Makefile) or file that installs from it.
LOCKS = {"image": (), "run": ("embedded",), "dev": ("dev",), "bench": ("bench",)}
STAMPS = {"run": ".installed", "dev": ".installed-dev", "bench": ".installed-bench"}
# What the locks are resolved for (the Makefile's `make lock`): markers are judged here.
TARGET = {"python_version": "3.11", "sys_platform": "linux", "platform_machine": "x86_64"}


@dataclass
class Locked:
    requirement: Requirement
    hashes: list[str] = field(default_factory=list)

    @property
    def version(self) -> str | None:
        """The pinned version, or None when the line is not one `==`."""
        specs = list(self.requirement.specifier)
        return specs[0].version if len(specs) == 1 and specs[0].operator == "==" else None


def read_lock(text: str) -> dict[str, Locked]:
    """A requirements file as uv writes it: a requirement at the start of a line, its hashes
    after it on that line or on the indented lines that follow, comments anywhere."""
    locked: dict[str, Locked] = {}
    current: Locked | None = None
    prefix = "--hash=sha256:"
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = Locked(Requirement(line.split(" --")[0].rstrip(" \\")))
            locked[canonicalize_name(current.requirement.name)] = current
        if current is not None:
            current.hashes += [p[len(prefix) :] for p in line.split() if p.startswith(prefix)]
    return locked


def wanted(pyproject: dict[str, Any], extras: tuple[str, ...]) -> list[Requirement]:
    """What pyproject asks for when installed with ``extras``: the build-system's requires, the
    dependencies, and each extra's (following an extra that names the project itself)."""
    project = pyproject["project"]
    ours = canonicalize_name(project["name"])
    requirements = [Requirement(r) for r in pyproject["build-system"]["requires"]]
    requirements += [Requirement(r) for r in project["dependencies"]]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for requirement in map(Requirement, project["optional-dependencies"][extra]):
            if canonicalize_name(requirement.name) == ours:
                todo += requirement.extras
            else:
                requirements.append(requirement)
    return [r for r in requirements if r.marker is None or r.marker.evaluate(TARGET)]


def disagreements(pyproject: dict[str, Any], lock_text: str, extras: tuple[str, ...]) -> list[str]:
    """Every way the lock fails pyproject (or pip's --require-hashes), as sentences."""
    locked = read_lock(lock_text)
    found = []
    for requirement in wanted(pyproject, extras):
        pin = locked.get(canonicalize_name(requirement.name))
        if pin is None:
            found.append(f"{requirement.name} is not in the lock")
        elif pin.version is not None and not requirement.specifier.contains(
            pin.version, prereleases=True
        ):
            found.append(f"{requirement.name}=={pin.version} is outside {requirement}")
    for name, pin in locked.items():
        if pin.version is None:
            found.append(f"{name} is not pinned with ==: {pin.requirement}")
        if not pin.hashes:
            found.append(f"{name} has no sha256")
    return found


def _lock_text(name: str) -> str:
    return (ROOT / "requirements" / f"{name}.lock").read_text()


@pytest.mark.parametrize("name", LOCKS)
def test_each_lock_pins_what_pyproject_asks_for(name):
    assert disagreements(PYPROJECT, _lock_text(name), LOCKS[name]) == []


def test_a_lock_that_lags_pyproject_is_caught():
    pyproject = {
        "build-system": {"requires": ["setuptools>=69"]},
        "project": {
            "name": "ttsjobs",
            "dependencies": ["numpy>=2", "rich>=13"],
            "optional-dependencies": {"dev": ["ttsjobs[embedded]", "ruff"], "embedded": ["nats"]},
        },
    }
    lock = (
        "# a header\n"
        "setuptools==84.2.1 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via x\n"
        "numpy==1.26.4 \\\n    --hash=sha256:cc\n"
        "ruff>=0.6 \\\n    --hash=sha256:dd\n"
        "nats==1.0\n"
    )
    assert disagreements(pyproject, lock, ("dev",)) == [
        "numpy==1.26.4 is outside numpy>=2",
        "rich is not in the lock",
        "ruff is not pinned with ==: ruff>=0.6",
        "nats has no sha256",
    ]
    assert read_lock(lock)["setuptools"].hashes == ["aa", "bb"]
    mended = (
        "setuptools==84.2.1 --hash=sha256:aa\n"
        "numpy==2.4.6 --hash=sha256:cc\n"
        "rich==15.0.0 \\\n    --hash=sha256:ee\n"
        "ruff==0.17.6 --hash=sha256:dd\n"
        "nats==1.0 --hash=sha256:ff\n"
    )
    assert disagreements(pyproject, mended, ("dev",)) == []


def test_a_package_pinned_in_two_locks_has_one_version():
    versions: dict[str, dict[str, str | None]] = {}
    for name in LOCKS:
        for package, pin in read_lock(_lock_text(name)).items():
            versions.setdefault(package, {})[name] = pin.version
    split = {
        package: by_lock for package, by_lock in versions.items() if len(set(by_lock.values())) > 1
    }
    assert split == {}


def test_every_lock_in_requirements_is_one_of_the_install_sets():
    assert {p.stem for p in (ROOT / "requirements").glob("*.lock")} == set(LOCKS)


def test_the_image_lock_leaves_the_embedded_servers_out():
    embedded = {
        canonicalize_name(Requirement(r).name)
        for r in PYPROJECT["project"]["optional-dependencies"]["embedded"]
    }
    assert embedded and not embedded & set(read_lock(_lock_text("image")))


@pytest.mark.parametrize("name", STAMPS)
def test_each_make_install_reinstalls_from_its_lock_when_it_changes(name):
    makefile = (ROOT / "Makefile").read_text()
    rule = re.search(
        rf"^\$\(VENV\)/{re.escape(STAMPS[name])}:(?P<prerequisites>.*)\n(?P<recipe>(\t.*\n)+)",
        makefile,
        re.M,
    )
    assert rule, STAMPS[name]
    assert f"requirements/{name}.lock" in rule["prerequisites"].split()
    assert f"$(LOCKED) requirements/{name}.lock" in rule["recipe"]
    assert "$(EDITABLE)\n" in rule["recipe"]
    assert re.search(r"^LOCKED := .*pip install .*--require-hashes -r$", makefile, re.M)
    assert "--no-deps --no-build-isolation -e .\n" in makefile


def test_the_image_installs_from_its_lock_and_then_only_the_project():
    """deploy/Dockerfile: every package hash-checked from requirements/image.lock, then ttsjobs
    alone with no deps, so pip resolves nothing of its own at build time."""
    dockerfile = (ROOT / "deploy/Dockerfile").read_text()
    runs = [run.strip() for run in re.findall(r"^RUN (.*)$", dockerfile, re.M)]
    from_lock = "pip install --require-hashes -r requirements/image.lock"
    assert "COPY requirements/image.lock ./requirements/" in dockerfile
    project = [run for run in runs if run.startswith("pip install .")]
    assert [run for run in runs if "pip install" in run] == [from_lock, *project]
    assert len(project) == 1 and " --no-deps --no-build-isolation " in project[0], project
