"""The TypeScript side of the contract: clients/typescript's types are what openapi-typescript
makes of proto-schemas/openapi.json, the client and the web app's JavaScript type-check against
them (tsc, the web app through JSDoc and --checkJs), and a field taken out of the contract breaks
that check instead of a page."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

from tests.support.typescript import CLIENT, NODE_MODULES, ROOT, tsc

SCHEMA = CLIENT / "src" / "schema.ts"
WEB = ROOT / "services" / "gateway" / "ttsjobs_gateway" / "web"
# The web app's modules checked (`// @ts-check`): the jobs they read, the requests they send.
CHECKED = (
    "api.js",
    "compose.js",
    "history.js",
    "history-row.js",
    "job-page.js",
    "job-request.js",
    "lexicons.js",
    "live-player.js",
    "text-language.js",
    "voices.js",
)


def test_the_generated_types_are_what_the_document_makes(tmp_path):
    # The command `make schemas` runs (package.json's generate), writing elsewhere.
    script = json.loads((CLIENT / "package.json").read_text())["scripts"]["generate"]
    program, *args = shlex.split(script)
    output = args.index("--output") + 1
    args[output] = str(tmp_path / "schema.ts")
    made = subprocess.run(
        [str(NODE_MODULES / ".bin" / program), *args],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "schema.ts").read_text() == SCHEMA.read_text(), (
        "clients/typescript/src/schema.ts is stale: run `make schemas`"
    )


def test_the_client_type_checks():
    checked = tsc("-p", CLIENT / "tsconfig.json", "--noEmit")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_web_app_type_checks_against_the_contract():
    for name in CHECKED:
        assert (WEB / name).read_text().startswith("// @ts-check\n"), f"{name} is not checked"
    checked = tsc("-p", CLIENT / "tsconfig.web.json")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _without(schema: str, model: str, field: str) -> str:
    """The generated types with one field of one model taken out, as a contract change would."""
    start = schema.index(f"        {model}: {{\n")
    line = re.compile(rf"^ {{12}}{field}\??: .*\n", re.M).search(schema, start)
    assert line, f"{model}.{field} is not in the generated types"
    return schema[: line.start()] + schema[line.end() :]


def test_a_field_taken_out_of_the_contract_breaks_the_web_app_and_the_client(tmp_path):
    changed = _without(SCHEMA.read_text(), "JobView", "expires_at")
    changed = _without(changed, "JobPage", "next_cursor")
    changed = _without(changed, "MultiRoleRequest", "stems")  # what the composer asks for
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "schema.ts").write_text(changed)

    # The web app, through a config that points its contract at the changed types.
    web = {"extends": str(CLIENT / "tsconfig.web.json"),
           "compilerOptions": {"paths": {"ttsjobs-api": ["./src/schema.ts"]}}}  # fmt: skip
    (tmp_path / "tsconfig.web.json").write_text(json.dumps(web))
    broken = tsc("-p", tmp_path / "tsconfig.web.json", cwd=tmp_path)
    assert broken.returncode != 0
    assert re.search(
        r"web/history-row\.js\(\d+,\d+\): error TS2339: Property 'expires_at'", broken.stdout
    )
    assert re.search(r"web/compose\.js\(\d+,\d+\): error TS2339: Property 'stems'", broken.stdout)

    # The client, built from its own source beside the changed types.
    (tmp_path / "src" / "index.ts").write_text((CLIENT / "src" / "index.ts").read_text())
    (tmp_path / "node_modules").symlink_to(NODE_MODULES)
    (tmp_path / "package.json").write_text((CLIENT / "package.json").read_text())
    (tmp_path / "tsconfig.json").write_text((CLIENT / "tsconfig.json").read_text())
    broken = tsc("-p", tmp_path / "tsconfig.json", "--noEmit", cwd=tmp_path)
    assert broken.returncode != 0
    assert re.search(
        r"src/index\.ts\(\d+,\d+\): error TS2339: Property 'next_cursor'", broken.stdout
    )


def test_the_typescript_tools_come_from_the_lock():
    # Installed by `npm ci` of the lock (the install step), so nothing is fetched at test time.
    lock = json.loads((CLIENT / "package-lock.json").read_text())
    for name in ("openapi-typescript", "openapi-fetch", "typescript", "ws"):
        pinned = lock["packages"][f"node_modules/{name}"]["version"]
        installed = json.loads((NODE_MODULES / name / "package.json").read_text())["version"]
        assert installed == pinned, name
    assert Path(NODE_MODULES / ".bin" / "tsc").exists()
