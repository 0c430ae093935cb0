"""The ttsjobs CLI against the running stack: submit with live progress, list, show, download,
cancel, voices; clear errors and non-zero exits; others' strings printed as text.
test_cli_everyday.py has prefixes, -o DIR, 80 columns and use from another directory."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import uuid

import httpx
import pytest
import soundfile as sf

from tests.support.jobs import SUBMIT, UNSAYABLE, dialogue
from ttsjobs_cli.embedded.processes import free_port

pytestmark = pytest.mark.e2e


# No per-user config of the machine's own (a `ttsjobs dev` run by hand) reaches the tests.
NO_USER_CONFIG = tempfile.mkdtemp(prefix="ttsjobs-xdg-")


def ttsjobs(url: str | None, *args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "XDG_CONFIG_HOME": NO_USER_CONFIG,
           **(env or {})}  # fmt: skip
    given = ["--url", url] if url else []
    return subprocess.run(
        [sys.executable, "-m", "ttsjobs_cli.main", *given, *args],
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
    assert listed.returncode == 0 and job_id[:8] in listed.stdout

    shown = ttsjobs(stack.gateway_url, "show", job_id, "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["status"] == "completed"
    human = ttsjobs(stack.gateway_url, "show", job_id)
    assert human.returncode == 0, human.stdout
    assert "cli morning" in human.stdout and "voice of Alice" in human.stdout
    assert re.search(r"expires\s+\d{4}-\d\d-\d\d \d\d:\d\d \((in \d+ days?|today)\)", human.stdout)

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


# What a terminal would obey rather than show: ESC, the C1 controls, bidi overrides and isolates.
OBEYED = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_TITLES = {
    "oops [/bold] crash": "oops [/bold] crash",
    "[/] [link=https://evil]x[/link]": "[/] [link=https://evil]x[/link]",
    "\x1b[2Jclear \x1b]0;pwned\x07screen": "clear screen",
    "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ here": "click here",
    "\x9b2Jc1 \x9d0;pwned\x9cend \u202eecilA": "c1 end ecilA",
}


@pytest.fixture(scope="module")
def carol(stack):
    """A user of this module's own: `ttsjobs jobs` lists exactly the jobs made here."""
    from tests.conftest import create_user

    return create_user(stack, f"cli-{uuid.uuid4().hex[:8]}")


def _printed_as_text(done: subprocess.CompletedProcess, *, sequences_gone: bool = True) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    assert not OBEYED.search(done.stdout), repr(done.stdout)
    if sequences_gone:  # whole sequences, not only their ESC: what they held is gone too
        assert "pwned" not in done.stdout and "http://evil" not in done.stdout
    return done.stdout


def test_titles_are_printed_as_text(stack, carol):
    as_carol = {"TTSJOBS_API_KEY": carol.key}
    with httpx.Client(base_url=stack.gateway_url, timeout=30, headers=carol.headers) as api:
        ids = []
        for title in HOSTILE_TITLES:
            response = api.post(SUBMIT, json=dialogue("espeak", title=title))
            assert response.status_code == 202, response.text
            ids.append(response.json()["id"])
    listed = _printed_as_text(ttsjobs(stack.gateway_url, "jobs", "--limit", "50", env=as_carol))
    for job_id, seen in zip(ids, HOSTILE_TITLES.values(), strict=True):
        [row] = [line for line in listed.splitlines() if job_id[:8] in line]
        assert seen in row, row
    # `show` prints the job exactly, controls as JSON escapes.
    shown = ttsjobs(stack.gateway_url, "show", ids[3], "--json", env=as_carol)
    printed = _printed_as_text(shown, sequences_gone=False)
    assert json.loads(printed)["title"] == list(HOSTILE_TITLES)[3]


def test_submit_wait_prints_a_failed_jobs_speaker_and_file_name_as_text(stack, tmp_path):
    body = dialogue("piper", title="wait")  # the titles' own test is above
    body["turns"] = [{"speaker": "[/]", "text": UNSAYABLE}]
    body["voice_assignments"] = {"[/]": {"voice": "en_US-joe-medium"}}
    spec = tmp_path / "[bold]fail \x1b[2J.json"
    spec.write_text(json.dumps(body))
    done = ttsjobs(stack.gateway_url, "submit", str(spec), "--wait")
    out = _printed_as_text(done)
    assert done.returncode == 1, out
    assert "[bold]fail .json" in out
    assert "failed" in out and "turn 1 ([/])" in out


def test_error_messages_are_printed_as_text(stack, tmp_path):
    body = dialogue("espeak")
    body["voice_assignments"]["Alice"]["voice"] = "nobody[/]\x1b]0;pwned\x07\x9b2J"
    spec = tmp_path / "voice.json"
    spec.write_text(json.dumps(body))
    refused = ttsjobs(stack.gateway_url, "submit", str(spec))
    out = _printed_as_text(refused, sequences_gone=False)  # the server quotes it with repr()
    assert refused.returncode == 1
    assert "voice_assignments.Alice.voice" in out and "nobody[/]" in out
    # A path the CLI quotes back is the user's own text: shown as typed too.
    missing = ttsjobs(stack.gateway_url, "submit", str(tmp_path / "[/]gone\x1b]0;pwned\x07.json"))
    assert missing.returncode == 1 and "[/]gone.json: no such file" in _printed_as_text(missing)
