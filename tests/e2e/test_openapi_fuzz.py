"""schemathesis against the live gateway on the real stack: every operation, generated and
mutated requests, and not one 5xx, undocumented status or type, or response off its schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.jobs import SUBMIT

pytestmark = pytest.mark.e2e
CHECKS = ",".join(
    [
        "not_a_server_error",
        "response_schema_conformance",
        "content_type_conformance",
        "status_code_conformance",
        "ignored_auth",  # every operation that declares the API key refuses a request without
    ]
)


def test_every_error_is_documented_as_a_problem(stack):
    """Or, on OpenAI's routes (/v1/), in OpenAI's error shape."""
    schema = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    openai_error = {"$ref": "#/components/schemas/OpenAIError"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                if not code.startswith(("4", "5")):
                    continue
                if path.startswith("/v1/"):
                    assert response["content"]["application/json"]["schema"] == openai_error
                    continue
                assert list(response["content"]) == ["application/problem+json"], (
                    path,
                    method,
                    code,
                )


def test_the_submit_examples_come_from_the_voice_catalogue(stack, api):
    schema = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    submit = schema["paths"][SUBMIT]["post"]
    examples = submit["requestBody"]["content"]["application/json"]["examples"]
    assert {"piper", "espeak", "tone"} <= set(examples)
    assert set(submit["responses"]["202"]["links"]) >= {"GetJob", "CancelJob", "DownloadAudio"}
    for example in examples.values():
        body = example["value"]
        voices = {a["voice"] for a in body["voice_assignments"].values()}
        catalogue = httpx.get(f"{stack.gateway_url}/api/v1/voices", headers=api.headers).json()
        ids = {v["id"] for p in catalogue["providers"] if p["provider"] == body["provider"]
               for v in p["voices"]}  # fmt: skip
        assert voices <= ids, (body["provider"], voices)


def _exchanges(har: Path) -> list[tuple[str, str, int, str]]:
    """(method, path, status, response text) of every request schemathesis made."""
    entries = json.loads(har.read_text())["log"]["entries"]
    return [
        (e["request"]["method"], urlsplit(e["request"]["url"]).path, e["response"]["status"],
         e["response"].get("content", {}).get("text", ""))
        for e in entries
    ]  # fmt: skip


def test_schemathesis_finds_nothing(stack, alice, tmp_path):
    """Started from the catalogue's examples, the fuzzer submits real jobs (202) and follows the
    answer's links to those jobs' own endpoints; not one response is a 5xx or off its schema."""
    cli = Path(sys.executable).parent / "schemathesis"
    har = tmp_path / "run.har"
    done = subprocess.run(
        [str(cli), "run", f"{stack.gateway_url}/openapi.json", "--checks", CHECKS,
         "--max-examples", "25", "--seed", "1", "--no-color",
         "--report", "har", "--report-har-path", str(har),
         "--header", f"Authorization: Bearer {alice.key}"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:]
    assert " passed" in done.stdout
    exchanges = _exchanges(har)
    created = {json.loads(text)["id"] for method, path, status, text in exchanges
               if method == "POST" and path == SUBMIT and status == 202}  # fmt: skip
    assert created, "no generated request was a job the gateway accepted"
    reached = {
        (method, path.removeprefix(f"/api/v1/jobs/{job}"))
        for method, path, status, _ in exchanges
        for job in created
        if status < 500 and path.startswith(f"/api/v1/jobs/{job}")
    }
    assert {("GET", ""), ("DELETE", "")} <= reached, reached
    assert {("GET", "/download"), ("GET", "/captions")} & reached, reached
