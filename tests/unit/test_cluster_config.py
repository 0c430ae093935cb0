"""The loopback cluster runs the nats config Kubernetes is given, and services read a NATS URL
list: the ConfigMap's file is the template the embedded cluster renders, every variable it reads
is set both by a k8s pod and by a loopback node, and nats-server accepts it with either."""

from __future__ import annotations

import ast
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_deploy_files import K8S, nats_cluster_conf, nats_pod_env
from ttsjobs.settings import CommonSettings, nats_servers
from ttsjobs_cli.embedded.nats_cluster import TEMPLATE as CLUSTER_TEMPLATE
from ttsjobs_cli.embedded.nats_cluster import NatsNode, node_environment, render_config
from ttsjobs_cli.embedded.processes import find_binary
from ttsjobs_cli.embedded.stack import SERVICES, Stack


def _variables(conf: str) -> set[str]:
    text = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    return set(re.findall(r"\$([A-Z_]+)", text))


def _loopback_env(tmp_path: Path) -> dict[str, str]:
    node = NatsNode("nats-0", 14222, 16222, 18222, tmp_path / "store")
    return node_environment(node, ["nats://127.0.0.1:16222", "nats://127.0.0.1:16223"])


def test_the_configmap_carries_the_file_the_embedded_cluster_renders():
    assert CLUSTER_TEMPLATE.resolve().parent == K8S.resolve()
    assert nats_cluster_conf() == CLUSTER_TEMPLATE.read_text()
    assert render_config(sync_always=True) == CLUSTER_TEMPLATE.read_text()


def test_a_pod_and_a_loopback_node_set_every_variable_the_config_reads(tmp_path):
    wanted = _variables(nats_cluster_conf())
    assert {"NATS_SERVER_NAME", "NATS_CLUSTER_ROUTES", "NATS_STORE_DIR"} <= wanted
    assert set(nats_pod_env("nats-0")) == wanted
    assert set(_loopback_env(tmp_path)) == wanted


def test_nats_server_accepts_the_rendered_config_for_a_loopback_node(tmp_path):
    for sync_always in (True, False):
        path = tmp_path / f"nats-{sync_always}.conf"
        path.write_text(render_config(sync_always=sync_always))
        checked = subprocess.run(
            [find_binary("nats-server"), "-t", "-c", str(path)],
            capture_output=True, text=True, env={**os.environ, **_loopback_env(tmp_path)},
        )  # fmt: skip
        assert checked.returncode == 0, checked.stderr
    assert "sync_interval" not in render_config(sync_always=False).split("#")[0]


def test_a_nats_url_may_list_a_clusters_nodes():
    assert nats_servers("nats://a:4222") == ["nats://a:4222"]
    assert nats_servers("nats://a:4222, nats://b:4222,") == ["nats://a:4222", "nats://b:4222"]
    listed = CommonSettings(nats_url="nats://a:1,nats://b:2,nats://c:3")
    assert listed.nats_servers == ["nats://a:1", "nats://b:2", "nats://c:3"]
    with pytest.raises(ValueError):
        nats_servers(" , ")


def test_a_cluster_stack_runs_two_of_each_service_but_the_projection(tmp_path):
    stack = Stack(data_dir=tmp_path, cluster=True)
    names = stack.service_names
    assert set(SERVICES) <= set(names), "every service runs on the cluster stack too"
    assert sorted(n for n in names if n.startswith("projection")) == ["projection"]
    for service in ("gateway", "synthesis", "notifier"):
        assert {service, f"{service}-2"} <= set(names)
    ports = [stack._own_env(n, "gateway")["TTSJOBS_PORT"] for n in ("gateway", "gateway-2")]
    assert ports == [str(p) for p in stack.gateway_ports] and len(set(ports)) == 2
    workers = {stack._own_env(n, "synthesis")["TTSJOBS_WORKER_NAME"] for n in names if "synth" in n}
    assert workers == {"synthesis", "synthesis-2"}
    assert Stack(data_dir=tmp_path).service_names == SERVICES


def test_every_kv_bucket_and_stream_is_created_with_replicas_given():
    """A bucket created without replicas keeps its only copy on one node of the cluster: each
    KeyValueConfig and StreamConfig the code builds names its replicas (Settings.stream_replicas
    threaded through)."""
    root = Path(__file__).resolve().parents[2]
    wanted = {"KeyValueConfig": "replicas", "StreamConfig": "num_replicas"}
    found: list[str] = []
    for path in [*root.glob("libs/**/*.py"), *root.glob("services/*/*/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if (keyword := wanted.get(node.func.id)) is not None:
                    place = f"{path.relative_to(root)}:{node.lineno}"
                    found.append(place)
                    assert keyword in {k.arg for k in node.keywords}, f"{place} has no {keyword}"
    assert len(found) >= 7, found  # 3 streams, 4 kinds of bucket
