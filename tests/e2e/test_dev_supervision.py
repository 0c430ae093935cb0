"""`ttsjobs dev` supervises what it starts: a process that dies is started again on its data, a
second dev on the same data is refused, nothing outlives a killed dev, and a dev started after
kill -9 of every process of a stack comes up with every job intact."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import eventually_sync
from tests.support.jobs import dialogue
from ttsjobs_cli.embedded.processes import free_port

pytestmark = pytest.mark.e2e

READY_S = 180  # the first start on a busy 2-core machine takes a minute
SERVICES = ("projection", "synthesis", "notifier", "gateway")
# How each process of a stack shows on its command line.
ROLES = {
    **{name: f"ttsjobs_{name}.main" for name in SERVICES},
    "nats-server": "bin/nats-server",
    "seaweedfs": "bin/weed",
    "watchdog": "ttsjobs_cli.embedded.watchdog",
}


def _postgres_processes(pgdata: Path) -> list[psutil.Process]:
    """postgres chdirs into its data directory: that finds the postmaster and its backends."""
    found = []
    for proc in psutil.process_iter(["name"]):
        with contextlib.suppress(psutil.Error):
            if proc.info["name"] == "postgres" and proc.cwd() == str(pgdata.resolve()):
                found.append(proc)
    return found


def _jetstream_config(monitor_port: str) -> dict:
    """What the running nats-server reports (/varz), not what anyone asked it for."""
    with urllib.request.urlopen(f"http://127.0.0.1:{monitor_port}/varz", timeout=5) as r:
        return json.loads(r.read())["jetstream"]["config"]


class Dev:
    """`ttsjobs dev` as a person runs it; its output is read all along, so it never blocks."""

    def __init__(self, port: int, data_dir: Path) -> None:
        self.port, self.data_dir, self.lines = port, data_dir, []
        env = {k: v for k, v in os.environ.items() if not k.startswith("TTSJOBS_")}
        env["XDG_CONFIG_HOME"] = str(data_dir.parent / "config")  # where dev records its URL
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ttsjobs_cli.main", "dev", "--port", str(port),
             "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            self.lines.append(line)

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def wait_ready(self) -> str:
        def ready() -> str | None:
            assert self.proc.poll() is None, "".join(self.lines[-30:])
            found = [line for line in self.lines if "is ready: open " in line]
            return found[0].split("open ", 1)[1].split()[0] if found else None

        return eventually_sync(ready, timeout_s=READY_S, what="ttsjobs dev ready", interval_s=0.1)  # type: ignore[return-value]

    def process(self, role: str) -> psutil.Process:
        if role == "postgresql":
            pid = int((self.pgdata / "postmaster.pid").read_text().split()[0])
            return psutil.Process(pid)
        [found] = [
            p for p in psutil.Process(self.proc.pid).children()
            if ROLES[role] in " ".join(p.cmdline())
        ]  # fmt: skip
        return found

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "postgres" / "pgdata"

    def everything(self) -> list[psutil.Process]:
        """dev, everything below it, and the PostgreSQL that pg_ctl started outside its tree."""
        me = psutil.Process(self.proc.pid)
        return [me, *me.children(recursive=True), *_postgres_processes(self.pgdata)]

    def ctrl_c(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(60)


def _all_gone(procs: list[psutil.Process], *, timeout_s: float = 30) -> None:
    _, alive = psutil.wait_procs(procs, timeout=timeout_s)
    assert not [p.pid for p in alive if _running(p)]


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class Client:
    def __init__(self, url: str) -> None:
        base, _, key = url.partition("#key=")
        self.http = httpx.Client(
            base_url=base, timeout=30, headers={"Authorization": f"Bearer {key}"}
        )

    def submit(self) -> str:
        return self.http.post("/api/v1/jobs/tts/multi-role", json=dialogue("espeak")).json()["id"]

    def completed(self, job_id: str, *, timeout_s: float = 90) -> None:
        def done() -> bool:
            try:
                return self.http.get(f"/api/v1/jobs/{job_id}").json().get("status") == "completed"
            except (httpx.HTTPError, ValueError):
                return False  # a restarting gateway

        eventually_sync(done, timeout_s=timeout_s, what=f"job {job_id} completed", interval_s=0.1)
        audio = self.http.get(f"/api/v1/jobs/{job_id}/download")
        assert audio.status_code == 200 and audio.content[:4] == b"RIFF"


def _first_ready_has_key(port: int, key_file: Path, stop: threading.Event, seen: list) -> None:
    """Poll /readyz from before dev starts; at its first 200, was the key file there?"""
    while not stop.is_set() and not seen:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    seen.append(key_file.exists() and key_file.read_text().strip() != "")
        except OSError:
            time.sleep(0.01)


def test_dev_restarts_what_dies_and_refuses_a_second_dev(tmp_path):
    port, data_dir = free_port(), tmp_path / "data"
    stop, first_ready = threading.Event(), []
    key_file = data_dir / "local-api-key"
    poller = threading.Thread(target=_first_ready_has_key, args=(port, key_file, stop, first_ready))
    poller.start()
    dev = Dev(port, data_dir)
    try:
        url = dev.wait_ready()
        stop.set()
        poller.join()
        assert first_ready == [True], "/readyz answered 200 before the key file was written"

        # The webhook secret: random, private, per data dir, and the one the notifier uses.
        secret_file = data_dir / "webhook-secret"
        secret = secret_file.read_text().strip()
        assert len(secret) >= 32 and secret != "change-me"
        assert secret_file.stat().st_mode & 0o077 == 0
        notifier_env = dev.process("notifier").environ()
        assert notifier_env["TTSJOBS_WEBHOOK_SECRET"] == secret

        # JetStream fsyncs before it acks, as the running server reports it.
        nats = dev.process("nats-server").cmdline()
        monitor = nats[nats.index("-m") + 1]
        assert _jetstream_config(monitor)["sync_always"] is True

        # A second dev on the same data is refused, and starts nothing.
        second = subprocess.run(
            [sys.executable, "-m", "ttsjobs_cli.main", "dev", "--port", str(free_port()),
             "--data-dir", str(data_dir)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode != 0
        assert "in use by another `ttsjobs dev`" in second.stderr, second.stderr
        assert len([p for p in psutil.process_iter(["name"]) if p.info["name"] == "nats-server"
                    and str(data_dir) in " ".join(p.cmdline())]) == 1  # fmt: skip

        client = Client(url)
        before = client.submit()
        client.completed(before)
        # kill -9 of each service, then of each server: each comes back, on its data.
        for group in (SERVICES, ("nats-server", "postgresql", "seaweedfs")):
            killed = {role: dev.process(role) for role in group}
            for proc in killed.values():
                proc.kill()
            for role, old in killed.items():
                eventually_sync(
                    lambda role=role, old=old: _restarted(dev, role, old),
                    timeout_s=120,
                    what=f"{role} restarted",
                    interval_s=0.1,
                )
        assert dev.proc.poll() is None, "dev stays up"
        assert secret_file.read_text().strip() == secret
        client.completed(before)
        client.completed(client.submit())
        everything = dev.everything()
    finally:
        stop.set()
        code = dev.ctrl_c()
    assert code == 0
    # Ctrl-C stops what was restarted too, PostgreSQL included.
    _all_gone(everything)
    assert _postgres_processes(dev.pgdata) == []


def _restarted(dev: Dev, role: str, old: psutil.Process) -> bool:
    """A new process has the role, and dev said that it restarted it."""
    if not dev.said(f"ttsjobs: {role} restarted"):
        return False
    try:
        new = dev.process(role)
    except (ValueError, OSError, psutil.Error):
        return False
    return new.pid != old.pid and new.is_running()


def test_nothing_outlives_a_killed_dev_and_the_next_one_has_every_job(tmp_path):
    port, data_dir = free_port(), tmp_path / "data"
    dev = Dev(port, data_dir)
    client = Client(dev.wait_ready())
    job = client.submit()
    client.completed(job)

    # kill -9 of dev alone: everything it started stops too, PostgreSQL included.
    everything = dev.everything()
    assert {"postgres", "nats-server", "weed"} <= {p.name() for p in everything}
    os.kill(dev.proc.pid, signal.SIGKILL)
    _all_gone(everything)

    # The next dev comes up on the same data; then kill -9 of every process of its stack.
    dev = Dev(port, data_dir)
    Client(dev.wait_ready()).completed(job)
    everything = dev.everything()
    for proc in reversed(everything):  # PostgreSQL first, dev last: its watchdog cannot help
        with contextlib.suppress(psutil.NoSuchProcess):  # a backend may follow its postmaster
            proc.kill()
    _all_gone(everything)
    assert (dev.pgdata / "postmaster.pid").exists(), "an unclean stop, as after a power cut"

    dev = Dev(port, data_dir)
    try:
        client = Client(dev.wait_ready())
        client.completed(job)
        client.completed(client.submit())
        everything = dev.everything()
    finally:
        code = dev.ctrl_c()
    assert code == 0
    # A clean stop stops PostgreSQL too, though earlier devs were killed holding it.
    _all_gone(everything)
    assert _postgres_processes(dev.pgdata) == []
