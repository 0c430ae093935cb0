"""The README's quickstart, run as written against the live stack: a new user following only
the README gets a two-speaker job completed and its audio downloaded."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

pytestmark = pytest.mark.e2e
README = Path(__file__).resolve().parents[2] / "README.md"


def _quickstart() -> str:
    text = README.read_text()
    match = re.search(r"<!-- readme-quickstart -->\n```sh\n(.*?)```", text, re.S)
    assert match, "README lost its quickstart block"
    return match.group(1)


def test_readme_quickstart_completes_a_two_speaker_job(stack, alice, tmp_path):
    script = _quickstart().replace("http://127.0.0.1:8000", stack.gateway_url)
    # Where `make run` keeps the local user's key, in the directory the reader is in.
    (tmp_path / ".ttsjobs-data").mkdir()
    (tmp_path / ".ttsjobs-data" / "local-api-key").write_text(alice.key + "\n")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert '"status":"completed"' in done.stdout
    samples, rate = sf.read(tmp_path / "morning.wav")
    assert rate == 24_000 and len(samples) / rate > 2  # kokoro's rate


def test_readme_python_example_downloads_a_job(stack, alice, tmp_path):
    """The five lines of "Use it from Python", as written, in a checkout where `make run` left
    the local user's key."""
    match = re.search(r"<!-- readme-python -->\n```python\n(.*?)```", README.read_text(), re.S)
    assert match, "README lost its Python example"
    assert len(match.group(1).splitlines()) == 5
    (tmp_path / ".ttsjobs-data").mkdir()
    (tmp_path / ".ttsjobs-data" / "local-api-key").write_text(alice.key + "\n")
    code = match.group(1).replace("http://127.0.0.1:8000", stack.gateway_url)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    samples, rate = sf.read(tmp_path / "hello.wav")
    assert rate == 24_000 and len(samples) / rate > 0.5  # kokoro's rate


def test_readme_commands_are_make_targets():
    makefile = (README.parent / "Makefile").read_text()
    text = README.read_text()
    for target in ("run", "test"):
        assert f"make {target}" in text
        assert re.search(rf"^{target}:", makefile, re.M)
