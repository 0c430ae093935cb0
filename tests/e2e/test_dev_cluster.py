"""`ttsjobs dev --cluster`: a 3-node NATS cluster, two gateways behind one front, two synthesis;
the printed link is the front's, and a job submitted through it completes while a WebSocket
feed through it sees the snapshot and the job's final event; Ctrl-C stops every process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from tests.conftest import eventually_sync
from tests.e2e.test_dev_command import _processes_using
from tests.support.jobs import SUBMIT, dialogue
from ttsjobs_cli.embedded.processes import accepts_connections, free_port

pytestmark = pytest.mark.e2e


class ClusterTerminal:
    """`ttsjobs dev --cluster` with its printed lines collected. Its synthesis processes run
    espeak alone: two kokoro warm-ups would double the start on a small machine for nothing
    this test looks at."""

    def __init__(self, port: int, data_dir: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TTSJOBS_")}
        env["XDG_CONFIG_HOME"] = str(data_dir.parent / "config")
        env["TTSJOBS_PROVIDERS"] = '["espeak"]'
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ttsjobs_cli.main", "dev", "--cluster", "--port", str(port),
             "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))

    def link(self) -> str:
        def printed() -> str | None:
            assert self.proc.poll() is None, "\n".join(self.lines[-30:])
            ready = [line for line in self.lines if "is ready: open " in line]
            return ready[0].split("open ", 1)[1] if ready else None

        link: str = eventually_sync(printed, timeout_s=150, what="the link", interval_s=0.1)
        return link


def _final_event_of(ws, job_id: str) -> dict:
    while True:
        message = json.loads(ws.recv(timeout=60))
        if message["type"] == "event" and message["job_id"] == job_id:
            if message["event"]["type"].split(".")[-2] in ("completed", "failed", "cancelled"):
                return message


def test_dev_cluster_serves_jobs_and_feeds_through_one_front(tmp_path):
    port, data_dir = free_port(), tmp_path / "data"
    terminal = ClusterTerminal(port, data_dir)
    try:
        link = terminal.link()
        base, _, key = link.partition("/#key=")
        assert base == f"http://127.0.0.1:{port}" and key.startswith("tj_"), link
        auth = {"Authorization": f"Bearer {key}"}
        started = "\n".join(terminal.lines)
        assert "a 3-node NATS cluster" in started and "gateway-2" in started, started

        with httpx.Client(base_url=base, timeout=30, headers=auth) as client:
            # Each request goes to the next gateway: both answer ready, through the front.
            for _ in range(2):
                ready = client.get("/readyz")
                assert ready.status_code == 200 and ready.json()["providers"], ready.text
            ws_url = base.replace("http", "ws") + "/api/v1/jobs/events"
            with connect(ws_url, additional_headers=auth) as ws:
                snapshot = json.loads(ws.recv(timeout=30))
                assert snapshot["type"] == "snapshot" and snapshot["jobs"] == []
                job = client.post(SUBMIT, json=dialogue("espeak")).json()
                final = _final_event_of(ws, job["id"])
            assert final["event"]["type"] == "io.ttsjobs.job.completed.v2"
            done = client.get(f"/api/v1/jobs/{job['id']}").json()
            assert done["status"] == "completed"
            audio = client.get(f"/api/v1/jobs/{job['id']}/download", headers={"Range": "bytes=0-3"})
            assert audio.status_code == 206 and audio.content == b"RIFF"
    finally:
        terminal.proc.send_signal(signal.SIGINT)
        code = terminal.proc.wait(60)
    assert code == 0, "\n".join(terminal.lines[-30:])
    assert not accepts_connections(port)
    assert _processes_using(data_dir) == []
