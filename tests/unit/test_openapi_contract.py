"""The OpenAPI document makes clean clients: valid, short camelCase operationIds, tags that are
described, files as bytes, every problem type listed, an example on every body and response
that fits its schema, and openapi-python-client (pinned) drops no operation and no response.
The committed proto-schemas/openapi.json is checked, and the app's own document as it serves it.
(That the committed one is what generation makes: test_contracts.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.errors import ServiceError
from ttsjobs_gateway.main import create_app

PROTO = Path(__file__).resolve().parents[2] / "proto-schemas"
COMMITTED = json.loads((PROTO / "openapi.json").read_text())
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
BINARY = {"type": "string", "format": "binary"}
# Request bodies a generator may skip: each route that takes one takes JSON too.
SKIPPABLE = ("text/plain", "application/pls+xml", "application/ssml+xml")


@pytest.fixture(scope="module")
def served() -> dict[str, Any]:
    """The document the app serves (no worker has reported voices: no submit examples)."""
    return create_app(Settings()).openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, operation)
            for path, item in document["paths"].items()
            for method, operation in item.items() if method in METHODS]  # fmt: skip


@pytest.mark.parametrize("which", ["committed", "served"])
def test_the_document_is_valid_openapi_3_1(which, served):
    document = COMMITTED if which == "committed" else served
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises on the first error


def test_every_operation_has_a_short_camel_case_id_of_its_own(served):
    for document in (COMMITTED, served):
        ids = [op.get("operationId", "") for _, _, op in operations(document)]
        bad = [i for i in ids if not re.fullmatch(r"[a-z][A-Za-z]+", i)]
        defaults = [i for i in ids if re.search(r"_(get|post|put|patch|delete|head)$", i)]
        assert not bad and not defaults, (bad, defaults)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert {"getHealth", "getReadiness", "getMetrics", "downloadAudio", "parseScript"} <= set(ids)


def test_every_operation_has_one_described_tag():
    described = {t["name"]: t.get("description") for t in COMMITTED["tags"]}
    assert all(described.values()), described
    for path, method, operation in operations(COMMITTED):
        assert len(operation.get("tags", [])) == 1, (method, path)
        assert operation["tags"][0] in described, (method, path, operation["tags"])
    tag_of = {op["operationId"]: op["tags"][0] for _, _, op in operations(COMMITTED)}
    assert tag_of["downloadAudio"] == "downloads" and tag_of["getJob"] == "jobs"
    assert tag_of["listSavedVoices"] == "saved voices" and tag_of["getHealth"] == "operations"


def test_files_are_documented_as_bytes():
    """Audio, zips and live segments: a binary string, so a client hands back the bytes."""
    seen = set()
    for path, method, operation in operations(COMMITTED):
        for code, response in operation["responses"].items():
            for media_type, content in response.get("content", {}).items():
                if media_type.startswith("audio/") or media_type == "application/zip":
                    assert content.get("schema") == BINARY, (method, path, code, media_type)
                    seen.add((operation["operationId"], code))
    assert {("downloadAudio", "200"), ("downloadAudio", "206"), ("downloadStems", "200"),
            ("liveSegment", "200"), ("previewVoice", "200")} <= seen  # fmt: skip


def _service_errors() -> list[type[ServiceError]]:
    found, pending = [], [ServiceError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return found


def test_every_problem_type_is_listed_by_its_urn(served):
    listed = {k["type"]: k for k in served["x-problem-types"]}
    for cls in _service_errors():
        urn = f"urn:ttsjobs:problem:{cls.kind}"
        assert urn in listed, cls.__name__
        assert listed[urn]["title"] and listed[urn]["status"] >= 400
    for urn in ("not-found", "method-not-allowed", "http-error", "validation", "job-not-found"):
        assert f"urn:ttsjobs:problem:{urn}" in listed
    # A type written out in the code (/readyz's) is listed too.
    written = {
        match
        for folder in ("libs", "services")
        for path in (PROTO.parent / folder).rglob("*.py")
        for match in re.findall(r"urn:ttsjobs:problem:[a-z][a-z-]+", path.read_text())
    }
    assert "urn:ttsjobs:problem:not-ready" in written
    assert written <= set(listed), sorted(written - set(listed))
    problem_type = served["components"]["schemas"]["Problem"]["properties"]["type"]
    assert problem_type["examples"] == list(listed)
    assert COMMITTED["x-problem-types"] == served["x-problem-types"]


def _fits(document: dict[str, Any], schema: dict[str, Any], value: Any) -> list[str]:
    # The schema's $refs (#/components/schemas/…) resolve against the document's components.
    validator = Draft202012Validator({"allOf": [schema], "components": document["components"]})
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(value)]  # fmt: skip


def _examples(document: dict[str, Any], content: dict[str, Any]) -> list[Any]:
    if "example" in content:
        return [content["example"]]
    shared = document["components"].get("examples", {})
    return [
        shared[e["$ref"].rsplit("/", 1)[-1]]["value"] if "$ref" in e else e["value"]
        for e in content.get("examples", {}).values()
    ]


def _contents(operation: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(where, media type, content) of the request body and of each response."""
    found = [
        ("request", media_type, content)
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items()
    ]
    for code, response in operation["responses"].items():
        found += [(code, media_type, content)
                  for media_type, content in response.get("content", {}).items()]  # fmt: skip
    return found


@pytest.mark.parametrize("which", ["committed", "served"])
def test_every_body_and_response_has_an_example_that_fits_its_schema(which, served):
    document = COMMITTED if which == "committed" else served
    missing, unfit, counted = [], [], 0
    for path, method, operation in operations(document):
        for where, media_type, content in _contents(operation):
            schema = content.get("schema")
            assert schema, (method, path, where, media_type)
            if schema == BINARY:
                continue  # a file: bytes have no example to show
            assert not {"example", "examples"} <= set(content), (method, path, where)
            examples = _examples(document, content)
            if not examples:
                missing.append((method, path, where, media_type))
            for example in examples:
                counted += 1
                if problems := _fits(document, schema, example):
                    unfit.append((method, path, where, media_type, problems[:2]))
    assert not missing, missing
    assert not unfit, unfit[:5]
    assert counted > 150  # every problem response names its kinds


def test_the_submit_examples_come_from_the_fixed_catalogue():
    submit = COMMITTED["paths"]["/api/v1/jobs/tts/multi-role"]["post"]
    examples = submit["requestBody"]["content"]["application/json"]["examples"]
    assert set(examples) == {"espeak", "kokoro", "piper"}
    assert examples["kokoro"]["value"]["voice_assignments"]["Alice"] == {"voice": "af_heart"}


def test_openapi_python_client_drops_no_operation_and_no_response(tmp_path):
    """Generated with the pinned generator and proto-schemas/openapi-python-client.yaml. What
    it may still skip is a request body's text/plain, PLS or SSML form, where JSON stands beside
    it."""
    cli = Path(sys.executable).parent / "openapi-python-client"
    config = tmp_path / "config.yaml"
    config.write_text((PROTO / "openapi-python-client.yaml").read_text() + "post_hooks: []\n")
    done = subprocess.run(
        [str(cli), "generate", "--path", str(PROTO / "openapi.json"), "--config", str(config),
         "--output-path", str(tmp_path / "client"), "--overwrite"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    log = done.stdout + done.stderr
    assert "omitted" not in log and "will not be generated" not in log, log
    skipped = re.findall(r"WARNING parsing (\w+) (\S+) within [^\n]*\n\n([^\n]*)", log)
    for method, path, detail in skipped:
        assert re.fullmatch(
            rf"Unsupported content type ({'|'.join(map(re.escape, SKIPPABLE))})", detail
        )
        body = COMMITTED["paths"][path][method.lower()]["requestBody"]["content"]
        assert "application/json" in body, (method, path)
    package = next((tmp_path / "client").glob("*/api"))
    download = (package / "downloads" / "download_audio.py").read_text()
    assert re.search(r"response_200 = File\(\s*payload\s*=\s*BytesIO\(response.content\)", download)
    generated = {p.stem for p in package.glob("*/*.py") if p.stem != "__init__"}
    ids = {re.sub(r"(?<!^)([A-Z])", r"_\1", op["operationId"]).lower()
           for _, _, op in operations(COMMITTED)}  # fmt: skip
    assert ids <= generated, sorted(ids - generated)
