"""`ttsjobs dev`: starts everything, prints a short status that ends with the URL, keeps jobs
across a restart, and Ctrl-C stops every process it started."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import eventually_sync
from tests.support.jobs import dialogue
from ttsjobs_cli.embedded.processes import accepts_connections, free_port
from ttsjobs_cli.locations import find_data_dir, server_url

pytestmark = pytest.mark.e2e

# What a person may be shown up to the link: what started, where the logs are, the link.
MOST_LINES_TO_READY = 8


def _as_a_background_job() -> None:
    # What `ttsjobs dev &` in a script does: the shell starts it with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Terminal:
    """`ttsjobs dev` with stdout and stderr on one stream, as a terminal shows them."""

    def __init__(self, port: int, data_dir: Path, *options: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TTSJOBS_")}
        env.pop("XDG_RUNTIME_DIR", None)  # as in an ssh session or a container: no warning
        env["XDG_CONFIG_HOME"] = str(data_dir.parent / "config")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ttsjobs_cli.main", "dev", "--port", str(port),
             "--data-dir", str(data_dir), *options],
            preexec_fn=_as_a_background_job,  # Ctrl-C (SIGINT) must still stop it
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, *, timeout_s: float = 120) -> list[str]:
        """The lines printed up to and including the first that holds ``text``."""

        def printed() -> list[str] | None:
            assert self.proc.poll() is None, "\n".join(self.lines[-30:])
            found = [i for i, line in enumerate(self.lines) if text in line]
            return self.lines[: found[0] + 1] if found else None

        return eventually_sync(printed, timeout_s=timeout_s, what=text, interval_s=0.1)  # type: ignore[return-value]


def _start(port: int, data_dir: Path) -> tuple[Terminal, str]:
    terminal = Terminal(port, data_dir)
    ready = terminal.wait_for("is ready: open ")
    return terminal, ready[-1].split("open ", 1)[1].split()[0]


def _stop_with_ctrl_c(terminal: Terminal) -> int:
    terminal.proc.send_signal(signal.SIGINT)
    return terminal.proc.wait(60)


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
    terminal, url = _start(port, data_dir)
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
        code = _stop_with_ctrl_c(terminal)
    assert code == 0
    assert not accepts_connections(port)
    assert _processes_using(data_dir) == []

    # Started again, with the services' JSON log lines on stdout instead of the status.
    terminal = Terminal(port, data_dir, "--log-format", "json")
    try:
        ready = json.loads(terminal.wait_for('"dev.ready"')[-1])
        assert ready["url"] == f"http://127.0.0.1:{port}", "the key stays out of log lines"
        assert (data_dir / "local-api-key").read_text().strip() == key, "a restart keeps it"
        with httpx.Client(base_url=ready["url"], timeout=30, headers=auth) as client:
            again = client.get(f"/api/v1/jobs/{job['id']}")
            assert again.status_code == 200 and again.json()["status"] == "completed"
            audio = client.get(f"/api/v1/jobs/{job['id']}/download")
            assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    finally:
        assert _stop_with_ctrl_c(terminal) == 0
    assert _processes_using(data_dir) == []
    records = [json.loads(line) for line in terminal.lines]
    assert {"dev", "gateway", "projection", "synthesis", "notifier"} <= {
        r.get("service") for r in records
    }
    assert any(r["event"] == "projection.stopped" for r in records), "a clean stop's lines too"


def _warnings_or_worse(line: str) -> bool:
    return bool(re.search(r"warn|error|traceback|exception", line, re.I))


def test_dev_prints_a_short_status_ending_with_the_link_and_logs_json_to_files(tmp_path):
    port, data_dir = free_port(), tmp_path / "data"
    terminal = Terminal(port, data_dir)
    try:
        printed = terminal.wait_for("is ready: open ")
        url = printed[-1].split("open ", 1)[1].split()[0]
        assert printed[-1] == f"ttsjobs is ready: open {url}", "the link comes last"
        assert len(printed) <= MOST_LINES_TO_READY, printed
        assert not [line for line in printed if line.startswith("{") or _warnings_or_worse(line)]
        # No port but the gateway's: the services' probe ports are not for people.
        assert set(re.findall(r"127\.0\.0\.1:(\d+)", "\n".join(printed))) == {str(port)}
        assert any(f"{data_dir.resolve() / 'logs'}/" in line for line in printed)

        # The CLI finds this system from another directory: dev recorded its URL.
        assert server_url(data_dir) == f"http://127.0.0.1:{port}"
        config = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
        assert find_data_dir(cwd=tmp_path, environ=config) == data_dir.resolve()

        key = url.partition("#key=")[2]
        with httpx.Client(base_url=url.split("#")[0], timeout=30) as client:
            client.headers["Authorization"] = f"Bearer {key}"
            job = client.post("/api/v1/jobs/tts/multi-role", json=dialogue("espeak")).json()
            short = job["id"].replace("-", "")[:8]
            done = terminal.wait_for(f"ttsjobs: job {short} completed, ", timeout_s=60)
            assert re.fullmatch(rf"ttsjobs: job {short} completed, \d+\.\d s of audio", done[-1])
        assert len(terminal.lines) == len(printed) + 1, "one line for the job, nothing else"
    finally:
        code = _stop_with_ctrl_c(terminal)
    assert code == 0
    stopping = terminal.lines[len(printed) + 1 :]
    assert [line for line in stopping if line] == ["ttsjobs: stopping", "ttsjobs: stopped"]

    # Everything else went to logs/ as JSON lines, with no warning on a clean start and stop.
    for log in (data_dir / "logs").glob("*.log"):
        records = [json.loads(line) for line in log.read_text().splitlines()]
        assert not [r for r in records if r["level"] not in ("debug", "info")], log.name
    gateway = (data_dir / "logs" / "gateway.log").read_text()
    assert f"Uvicorn running on http://127.0.0.1:{port}" in gateway


def test_a_port_in_use_is_said_before_anything_starts(tmp_path):
    data_dir = tmp_path / "data"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "ttsjobs_cli.main", "dev", "--port", str(port),
             "--data-dir", str(data_dir)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        f"ttsjobs: port {port} is in use; choose another with --port (make run PORT=...)\n"
    )
    assert not data_dir.exists(), "nothing started, nothing written"
