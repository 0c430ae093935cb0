"""The ttsjobs CLI against the running stack: submit with live progress, list, show, download,
cancel, voices; clear errors and non-zero exits."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import soundfile as sf

from tests.support.jobs import UNSAYABLE, dialogue
from ttsjobs_cli.embedded.processes import free_port

pytestmark = pytest.mark.e2e


def ttsjobs(url: str, *args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ttsjobs_cli.main", "--url", url, *args],
        capture_output=True, text=True, timeout=120, cwd=cwd, env=env,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _alices_key(monkeypatch, request):
    """The job commands run as alice, through TTSJOBS_API_KEY."""
    if "stack" in request.fixturenames:
        monkeypatch.setenv("TTSJOBS_API_KEY", request.getfixturevalue("alice").key)


def _job_id(output: str) -> str:
    return re.search(r"[0-9a-f]{8}-[0-9a-f-]{27}", output).group(0)


def test_submit_wait_then_list_show_and_download(stack, tmp_path):
    spec = tmp_path / "morning.json"
    spec.write_text(json.dumps(dialogue("espeak", title="cli morning")))
    done = ttsjobs(stack.gateway_url, "submit", str(spec), "--wait")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "completed" in done.stdout and "3/3 turns" in done.stdout
    job_id = _job_id(done.stdout)

    listed = ttsjobs(stack.gateway_url, "jobs", "--limit", "50")
    assert listed.returncode == 0 and job_id in listed.stdout

    shown = ttsjobs(stack.gateway_url, "show", job_id)
    assert shown.returncode == 0 and json.loads(shown.stdout)["status"] == "completed"

    saved = ttsjobs(stack.gateway_url, "download", job_id, cwd=tmp_path)
    assert saved.returncode == 0, saved.stdout
    [audio] = tmp_path.glob("*_cli_morning.wav")  # 2026-12-01_1530_cli_morning.wav
    samples, rate = sf.read(audio)
    assert rate == 22050 and len(samples) > rate

    again = ttsjobs(stack.gateway_url, "download", job_id, "-o", str(tmp_path / "copy.wav"))
    assert again.returncode == 0 and (tmp_path / "copy.wav").stat().st_size > 1000

    refused = ttsjobs(stack.gateway_url, "cancel", job_id)
    assert refused.returncode == 1 and "only pending or processing" in refused.stdout


def test_a_failing_job_exits_non_zero_with_its_reason(stack, tmp_path):
    body = dialogue("piper")
    body["turns"][0]["text"] = UNSAYABLE
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps(body))
    done = ttsjobs(stack.gateway_url, "submit", str(spec), "--wait")
    assert done.returncode == 1
    assert "failed" in done.stdout and "turn 1 (Alice)" in done.stdout


def test_bad_input_is_explained_field_by_field(stack, tmp_path):
    body = dialogue("espeak")
    body["voice_assignments"]["Alice"]["voice"] = "nobody"
    spec = tmp_path / "voice.json"
    spec.write_text(json.dumps(body))
    refused = ttsjobs(stack.gateway_url, "submit", str(spec))
    assert refused.returncode == 1
    assert "voice_assignments.Alice.voice" in refused.stdout

    (tmp_path / "broken.json").write_text("{nope")
    broken = ttsjobs(stack.gateway_url, "submit", str(tmp_path / "broken.json"))
    assert broken.returncode == 1 and "not JSON" in broken.stdout


def test_voices(stack):
    providers = ttsjobs(stack.gateway_url, "voices")
    assert (
        providers.returncode == 0 and "piper" in providers.stdout and "espeak" in providers.stdout
    )
    espeak = ttsjobs(stack.gateway_url, "voices", "espeak")
    assert "cmn" in espeak.stdout and "pitch" in espeak.stdout


def test_an_unreachable_server_is_a_clear_error():
    gone = ttsjobs(f"http://127.0.0.1:{free_port()}", "jobs")
    assert gone.returncode == 2
    assert "cannot reach ttsjobs" in gone.stdout


def test_users_create_list_key_and_revoke(stack, tmp_path):
    # The operator commands find NATS and PostgreSQL from the environment, as in production.
    servers = {k: stack.env[k] for k in ("TTSJOBS_NATS_URL", "TTSJOBS_DATABASE_URL")}
    created = ttsjobs(stack.gateway_url, "users", "create", "carol", env=servers)
    assert created.returncode == 0, created.stdout + created.stderr
    key = re.search(r"^(tj_[0-9a-f]{12}_\S{43})$", created.stdout, re.M).group(1)
    key_id = key.split("_")[1]

    as_carol = {"TTSJOBS_API_KEY": key}
    assert ttsjobs(stack.gateway_url, "jobs", env=as_carol).returncode == 0
    again = ttsjobs(stack.gateway_url, "users", "create", "carol", env=servers)
    assert again.returncode == 1 and "exists" in again.stdout

    second = ttsjobs(stack.gateway_url, "users", "key", "carol", "--label", "ci", env=servers)
    assert second.returncode == 0, second.stdout
    listed = ttsjobs(stack.gateway_url, "users", "list", env=servers)
    carol_rows = [line for line in listed.stdout.splitlines() if "carol" in line]
    assert len(carol_rows) == 2 and any(key_id in row for row in carol_rows)
    assert key not in listed.stdout  # only ids are listed: the key itself is never stored

    revoked = ttsjobs(stack.gateway_url, "users", "revoke", key_id, env=servers)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout, revoked.stdout
    refused = ttsjobs(stack.gateway_url, "jobs", env=as_carol)
    assert refused.returncode == 1 and "revoked" in refused.stdout
    twice = ttsjobs(stack.gateway_url, "users", "revoke", key_id, env=servers)
    assert twice.returncode == 1 and "was revoked" in twice.stdout


def test_a_job_command_without_a_key_says_how_to_get_one(stack, tmp_path):
    refused = ttsjobs(stack.gateway_url, "jobs", cwd=tmp_path, env={"TTSJOBS_API_KEY": ""})
    assert refused.returncode == 1
    assert "API key" in refused.stdout and "ttsjobs users create" in refused.stdout


def test_setup_is_idempotent_on_a_running_system(stack):
    servers = {k: v for k, v in stack.env.items() if k.startswith("TTSJOBS_")}
    done = ttsjobs(stack.gateway_url, "setup", env=servers)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "migrations applied now: none" in done.stdout and "bucket" in done.stdout
