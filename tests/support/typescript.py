"""clients/typescript from the tests: tsc on a project, and the client installed as a package
(`@ttsjobs/client`) beside scripts that import it, the way an integrator's project would have it.
Everything comes from the node_modules the install step put there (`npm ci` of its lock); nothing
is downloaded here."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "clients" / "typescript"
NODE_MODULES = CLIENT / "node_modules"
TSC = NODE_MODULES / ".bin" / "tsc"


def tsc(*args: str | Path, cwd: Path = CLIENT) -> subprocess.CompletedProcess[str]:
    assert TSC.exists(), "clients/typescript is not installed: `make test` runs its npm ci"
    return subprocess.run(
        [str(TSC), "--pretty", "false", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def install_client(project: Path) -> None:
    """``project``/node_modules/@ttsjobs/client: the client built from source, with its own
    dependencies (a link to clients/typescript/node_modules)."""
    package = project / "node_modules" / "@ttsjobs" / "client"
    package.mkdir(parents=True)
    shutil.copy(CLIENT / "package.json", package / "package.json")
    (package / "node_modules").symlink_to(NODE_MODULES)
    built = tsc("-p", CLIENT / "tsconfig.json", "--outDir", package / "dist")
    assert built.returncode == 0, built.stdout + built.stderr


def compile_scripts(project: Path, *scripts: Path) -> None:
    """Compile ``scripts`` (ES modules with top-level await) into ``project``/out, typed against
    the installed client and node's types, as `tsc` in an integrator's project would."""
    (project / "package.json").write_text(json.dumps({"type": "module", "private": True}))
    config = {
        "compilerOptions": {
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": True,
            "skipLibCheck": True,
            "typeRoots": [str(NODE_MODULES / "@types")],
            "types": ["node"],
            "outDir": "out",
            "rootDir": ".",
        },
        "files": [str(script.relative_to(project)) for script in scripts],
    }
    (project / "tsconfig.json").write_text(json.dumps(config))
    compiled = tsc("-p", project / "tsconfig.json", cwd=project)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
