"""clients/typescript against the live stack, run by node as an integrator's script would run:
submit, wait for the end over the WebSocket feed (also across a dropped connection), download
(bytes and to a file), cancel, and list with a cursor; and the README's TypeScript example, as
written."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest
import soundfile as sf

from tests.conftest import create_user
from tests.support.typescript import CLIENT, ROOT, compile_scripts, install_client

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, stack) -> Path:
    """A project with the client installed and the scripts compiled (tsc, about 10 s)."""
    folder = tmp_path_factory.mktemp("ts-project")
    install_client(folder)
    (folder / "exercise.ts").write_text((CLIENT / "test" / "exercise.ts").read_text())
    example = _readme_example().replace("http://127.0.0.1:8000", stack.gateway_url)
    (folder / "example.ts").write_text(example)
    compile_scripts(folder, folder / "exercise.ts", folder / "example.ts")
    return folder


def _readme_example() -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- readme-typescript -->\n```ts\n(.*?)```", text, re.S)
    assert match, "README lost its TypeScript example"
    return match.group(1)


def _node(project: Path, script: str, *, url: str, key: str) -> str:
    env = {**os.environ, "TTSJOBS_URL": url, "TTSJOBS_API_KEY": key, "OUT_DIR": str(project)}
    done = subprocess.run(
        ["node", f"out/{script}"], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_client_submits_waits_downloads_cancels_and_pages(stack, project):
    user = create_user(stack, f"ts-client-{uuid.uuid4().hex[:8]}")  # an empty history
    result = json.loads(_node(project, "exercise.js", url=stack.gateway_url, key=user.key))

    assert result["submitted"]["status"] == "pending"
    done = result["done"]
    assert done["id"] == result["submitted"]["id"] and done["status"] == "completed"
    # wait() saw the job's events over its feed, ending with its completion.
    events = result["events"]
    assert re.fullmatch(r"io\.ttsjobs\.job\.completed\.v\d+", events[-1]), events

    download = result["download"]
    assert bytes(download["head"]) == b"RIFF" and download["contentType"] == "audio/wav"
    assert download["fileName"].endswith("_TypeScript_client.wav")  # the title, made safe
    saved = (project / "saved.wav").read_bytes()
    assert len(saved) == download["size"] == result["savedBytes"]
    samples, rate = sf.read(io.BytesIO(saved))
    assert len(samples) / rate == pytest.approx(done["duration_ms"] / 1000, abs=0.05)
    assert len(samples) / rate > 1  # two spoken sentences

    # A feed dropped after its snapshot is resumed after it: every event once, to the end.
    resume = result["resume"]
    assert resume["status"] == "completed"
    first_url, second_url, *_ = resume["urls"]
    assert "after=" not in first_url and re.search(r"\?after=\d+$", second_url)
    assert resume["events"] and len(set(resume["events"])) == len(resume["events"])

    cancel = result["cancel"]
    assert cancel["answered"] in {"pending", "processing", "cancelled"}
    assert cancel["ended"] == "cancelled"
    assert result["lateCancel"] == 409  # a finished job is not cancelled, and kept

    # Newest first, one a page: the cancelled job, then (through the cursor) the one before.
    pages = result["pages"]
    assert pages["first"] == [cancel["id"]] and pages["cursor"]
    assert pages["second"] == [resume["id"]]
    assert result["all"] == [cancel["id"], resume["id"], done["id"]]


def test_the_readme_typescript_example_runs_as_written(stack, alice, project):
    _node(project, "example.js", url=stack.gateway_url, key=alice.key)
    samples, rate = sf.read(project / "hello.wav")
    assert rate == 24_000 and 0.5 < len(samples) / rate < 10  # kokoro, one short sentence
