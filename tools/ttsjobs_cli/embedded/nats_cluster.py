"""A JetStream cluster of nats-server processes on loopback, from the config deploy/ ships.

Each node runs deploy/k8s/nats-cluster.conf (the file kustomize puts in the k8s ConfigMap) with
its own environment: name, loopback ports and store folder, and the routes to every node. So the
cluster the tests and `ttsjobs dev --cluster` run is the one that is deployed, but for ports.

Nodes are named as the StatefulSet's pods are (nats-0, nats-1, …) and keep their name, ports
and store across a restart, as a pod does. The drills kill, restart, pause and resume them, and
find which node leads a stream or KV bucket through the monitoring endpoint (/jsz).
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ttsjobs_cli.embedded.processes import (
    accepts_connections,
    find_binary,
    free_port,
    spawn,
    stop,
    wait_until,
)

# The repository's deploy/ folder: the embedded servers run from a checkout (an editable
# install), never from a container image.
TEMPLATE = Path(__file__).resolve().parents[3] / "deploy" / "k8s" / "nats-cluster.conf"
SYNC_ALWAYS = "sync_interval: always"
# How long one node may take to answer its monitoring endpoint; a paused node never does.
_MONITOR_TIMEOUT_S = 1.0


@dataclass
class NatsNode:
    name: str
    client_port: int
    cluster_port: int
    monitor_port: int
    store_dir: Path
    proc: subprocess.Popen[bytes] | None = None
    paused: bool = False

    @property
    def client_url(self) -> str:
        return f"nats://127.0.0.1:{self.client_port}"

    @property
    def monitor_url(self) -> str:
        return f"http://127.0.0.1:{self.monitor_port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def node_environment(node: NatsNode, routes: list[str]) -> dict[str, str]:
    """The variables the config template reads, for a node on loopback."""
    return {
        "NATS_SERVER_NAME": node.name,
        "NATS_HOST": "127.0.0.1",
        "NATS_CLIENT_PORT": str(node.client_port),
        "NATS_CLUSTER_PORT": str(node.cluster_port),
        "NATS_MONITOR_PORT": str(node.monitor_port),
        # Quoted: nats-server parses the value as config, and a path is a string.
        "NATS_STORE_DIR": json.dumps(str(node.store_dir)),
        "NATS_CLUSTER_ROUTES": "[" + ", ".join(routes) + "]",
    }


def render_config(*, sync_always: bool) -> str:
    """The template as nodes here run it. ``sync_always=False`` drops the fsync setting, and
    exists only so that a benchmark can measure what it costs."""
    text = TEMPLATE.read_text()
    if SYNC_ALWAYS not in text:
        raise ValueError(f"{TEMPLATE} no longer says {SYNC_ALWAYS!r}")
    return text if sync_always else text.replace(SYNC_ALWAYS, "")


@dataclass
class NatsCluster:
    data_dir: Path
    nodes: list[NatsNode]
    config: Path
    die_with_parent: bool = False
    # Every process started (restarts too) is reported here: `ttsjobs dev`'s watchdog.
    on_spawn: Callable[[int], None] = field(default=lambda pid: None, repr=False)

    @property
    def url(self) -> str:
        """Every node's client URL, comma-joined: what TTSJOBS_NATS_URL takes."""
        return ",".join(node.client_url for node in self.nodes)

    @property
    def routes(self) -> list[str]:
        return [f"nats://127.0.0.1:{node.cluster_port}" for node in self.nodes]

    def node(self, name: str) -> NatsNode:
        found = next((node for node in self.nodes if node.name == name), None)
        if found is None:
            raise KeyError(f"no node {name!r} (nodes: {[n.name for n in self.nodes]})")
        return found

    def start_node(self, name: str) -> None:
        node = self.node(name)
        node.store_dir.mkdir(parents=True, exist_ok=True)
        args = [find_binary("nats-server"), "-c", str(self.config)]
        node.proc = spawn(
            args,
            log_path=self.data_dir / f"{name}.log",
            env=node_environment(node, self.routes),
            die_with_parent=self.die_with_parent,
        )
        node.paused = False
        self.on_spawn(node.proc.pid)
        port = node.client_port
        what = f"nats-server {name}"
        wait_until(lambda: accepts_connections(port), timeout_s=20, what=what, proc=node.proc)

    def kill(self, name: str) -> None:
        """kill -9 the node: no goodbye to its peers, nothing flushed beyond what was synced."""
        node = self.node(name)
        if node.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            node.proc.send_signal(signal.SIGKILL)
        node.proc.wait(10)
        node.paused = False

    def restart(self, name: str, *, timeout_s: float = 30) -> None:
        """Start a stopped or killed node again on its ports and store (killing it first if it
        still runs), and wait until it reports itself healthy: caught up with its streams."""
        node = self.node(name)
        if node.is_running():
            self.kill(name)
        self.start_node(name)
        wait_until(
            lambda: _healthy(node), timeout_s=timeout_s, what=f"nats {name} healthy", proc=node.proc
        )

    def pause(self, name: str) -> None:
        """SIGSTOP the node: alive to the kernel, silent to its peers and clients, as a node cut
        off by the network is."""
        node = self.node(name)
        assert node.proc is not None and node.is_running(), f"{name} is not running"
        node.proc.send_signal(signal.SIGSTOP)
        node.paused = True

    def resume(self, name: str) -> None:
        node = self.node(name)
        assert node.proc is not None, f"{name} was never started"
        node.proc.send_signal(signal.SIGCONT)
        node.paused = False

    def wait_meta_leader(self, *, timeout_s: float = 30) -> str:
        """Wait until every running node agrees on a JetStream meta leader; return its name."""
        found: list[str] = []

        def agreed() -> bool:
            leaders = {
                (_jsz(node, "") or {}).get("meta_cluster", {}).get("leader")
                for node in self.answering()
            }
            if len(leaders) == 1 and None not in leaders and "" not in leaders:
                found[:] = [str(leaders.pop())]
                return True
            return False

        wait_until(agreed, timeout_s=timeout_s, what="a JetStream meta leader")
        return found[0]

    def answering(self) -> list[NatsNode]:
        """The nodes that run and are not paused."""
        return [node for node in self.nodes if node.is_running() and not node.paused]

    def leader_of_stream(self, stream: str, *, timeout_s: float = 15) -> str:
        """The node that leads ``stream``, as that node itself reports (/jsz): a node cut off
        may still believe it leads, so only a node that answers and names itself counts.
        Waits up to ``timeout_s`` for one (an election in progress)."""
        found: list[str] = []

        def claimed() -> bool:
            for node in self.answering():
                if _stream_leader(node, stream) == node.name:
                    found[:] = [node.name]
                    return True
            return False

        wait_until(claimed, timeout_s=timeout_s, what=f"a leader of stream {stream}")
        return found[0]

    def leader_of_bucket(self, bucket: str, *, timeout_s: float = 15) -> str:
        """A KV bucket is the stream KV_<bucket>."""
        return self.leader_of_stream(f"KV_{bucket}", timeout_s=timeout_s)

    def stop(self) -> None:
        for node in self.nodes:
            if node.proc is None:
                continue
            if node.paused:  # a stopped process would hold the SIGTERM until continued
                self.resume(node.name)
            stop(node.proc)


def start_nats_cluster(
    data_dir: Path,
    nodes: int = 3,
    sync_always: bool = True,
    *,
    die_with_parent: bool = False,
    on_spawn: Callable[[int], None] | None = None,
) -> NatsCluster:
    """``nodes`` nats-server processes on free loopback ports, clustered, each with its own
    store under ``data_dir``; returns once they agree on a JetStream meta leader."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "nats-cluster.conf"
    config.write_text(render_config(sync_always=sync_always))
    ports = _distinct_free_ports(3 * nodes)
    members = [
        NatsNode(
            name=f"nats-{i}",
            client_port=ports[3 * i],
            cluster_port=ports[3 * i + 1],
            monitor_port=ports[3 * i + 2],
            store_dir=data_dir / f"nats-{i}",
        )
        for i in range(nodes)
    ]
    cluster = NatsCluster(data_dir, members, config, die_with_parent)
    if on_spawn is not None:
        cluster.on_spawn = on_spawn
    try:
        for member in members:
            cluster.start_node(member.name)
        cluster.wait_meta_leader()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _distinct_free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def _jsz(node: NatsNode, query: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(
            f"{node.monitor_url}/jsz{query}", timeout=_MONITOR_TIMEOUT_S
        ) as r:
            answer: dict[str, Any] = json.loads(r.read())
            return answer
    except (OSError, ValueError):
        return None


def _stream_leader(node: NatsNode, stream: str) -> str | None:
    jsz = _jsz(node, "?streams=true&consumers=false")
    for account in (jsz or {}).get("account_details") or []:
        for detail in account.get("stream_detail") or []:
            if detail.get("name") == stream:
                leader = (detail.get("cluster") or {}).get("leader")
                return str(leader) if leader else None
    return None


def _healthy(node: NatsNode) -> bool:
    """/healthz answers 200 once the node's JetStream is current with the meta group and its
    streams (a restarted node has caught up)."""
    try:
        with urllib.request.urlopen(f"{node.monitor_url}/healthz", timeout=_MONITOR_TIMEOUT_S) as r:
            status: int = r.status
            return status == 200
    except OSError:
        return False
