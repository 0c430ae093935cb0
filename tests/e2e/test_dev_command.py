"""`ttsjobs dev`: starts everything, prints the URL, keeps jobs across a restart, and Ctrl-C
stops every process it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import eventually_sync
from tests.support.jobs import dialogue
from ttsjobs_cli.embedded.processes import accepts_connections, free_port

pytestmark = pytest.mark.e2e


def _as_a_background_job() -> None:
    # What `ttsjobs dev &` in a script does: the shell starts it with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(port: int, data_dir: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTSJOBS_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ttsjobs_cli.main", "dev", "--port", str(port),
         "--data-dir", str(data_dir)],
        preexec_fn=_as_a_background_job,  # Ctrl-C (SIGINT) must still stop it
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "is ready: open " in line:
            return proc, line.split("open ", 1)[1].split()[0]
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("ttsjobs dev never said it was ready")


def _stop_with_ctrl_c(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGINT)
    return proc.wait(60)


def _processes_using(data_dir: Path) -> list[str]:
    found = []
    for p in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(p.info["cmdline"] or [])
        if str(data_dir) in cmdline and "pytest" not in cmdline:
            found.append(cmdline)
    return found


def _key_of(url: str, data_dir: Path) -> str:
    """The printed link carries the local user's key in its fragment; the data dir keeps it."""
    base, _, fragment = url.partition("#key=")
    assert base and fragment, url
    assert (data_dir / "local-api-key").read_text().strip() == fragment
    assert (data_dir / "local-api-key").stat().st_mode & 0o077 == 0, "the key file is private"
    return fragment


def test_dev_serves_keeps_jobs_across_restarts_and_stops_everything(tmp_path):
    port, data_dir = free_port(), tmp_path / "data"
    proc, url = _start(port, data_dir)
    try:
        assert url.startswith(f"http://127.0.0.1:{port}/#key=tj_")
        key = _key_of(url, data_dir)
        auth = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/jobs").status_code == 401
        with httpx.Client(base_url=url.split("#")[0], timeout=30, headers=auth) as client:
            job = client.post("/api/v1/jobs/tts/multi-role", json=dialogue("espeak")).json()
            eventually_sync(
                lambda: client.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "completed",
                timeout_s=60,
                what="job completed",
                interval_s=0.2,
            )
    finally:
        code = _stop_with_ctrl_c(proc)
    assert code == 0
    assert not accepts_connections(port)
    assert _processes_using(data_dir) == []

    proc, url = _start(port, data_dir)
    try:
        assert _key_of(url, data_dir) == key, "a restart keeps the local user's key"
        with httpx.Client(base_url=url.split("#")[0], timeout=30, headers=auth) as client:
            again = client.get(f"/api/v1/jobs/{job['id']}")
            assert again.status_code == 200 and again.json()["status"] == "completed"
            audio = client.get(f"/api/v1/jobs/{job['id']}/download")
            assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    finally:
        assert _stop_with_ctrl_c(proc) == 0
    assert _processes_using(data_dir) == []
