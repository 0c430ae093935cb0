"""docker-compose.yml and deploy/ cannot run here (no Docker engine, no cluster), so they are
parsed and checked against the code: every variable a service is given is one its Settings
reads, and the parts the design depends on (health checks, setup first, a 3-node JetStream
cluster with 3 stream replicas, the KEDA scaler on the synthesis consumer) are there."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

from ttsjobs.settings import CommonSettings
from ttsjobs_cli.embedded.processes import find_binary
from ttsjobs_gateway.config import Settings as GatewaySettings
from ttsjobs_notifier.config import Settings as NotifierSettings
from ttsjobs_projection.config import Settings as ProjectionSettings
from ttsjobs_synthesis.config import Settings as SynthesisSettings
from ttsjobs_synthesis.providers import registry

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {
    "gateway": GatewaySettings,
    "synthesis": SynthesisSettings,
    "projection": ProjectionSettings,
    "notifier": NotifierSettings,
}
K8S = ROOT / "deploy" / "k8s"


def _env_names(settings_cls) -> set[str]:
    prefix = settings_cls.model_config["env_prefix"]
    names = {f"{prefix}{name}".upper() for name in settings_cls.model_fields}
    if settings_cls is SynthesisSettings:  # each provider's own, in its module (registry.py)
        for provider_settings in registry.every_settings().values():
            names |= _env_names(provider_settings)
    return names


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_each_service_gets_only_variables_its_settings_read():
    services = _compose()["services"]
    for name, settings_cls in SETTINGS.items():
        env = services[name]["environment"]
        unknown = {k for k in env if k.startswith("TTSJOBS_")} - _env_names(settings_cls)
        assert not unknown, f"{name} is given variables nothing reads: {unknown}"
        assert services[name]["command"] == [f"ttsjobs-{name}"]


def test_synthesis_may_be_given_each_providers_settings():
    # A deployment sizes Kokoro's processes or points piper at its voices: those settings live
    # in each provider's module, not in synthesis' Settings, and are read all the same.
    names = _env_names(SynthesisSettings)
    assert {"TTSJOBS_KOKORO_PROCESSES", "TTSJOBS_PIPER_VOICES_DIR", "TTSJOBS_PROVIDERS"} <= names
    assert "TTSJOBS_KOKORO_NOTHING" not in names


def test_services_wait_for_healthy_servers():
    services = _compose()["services"]
    for server in ("nats", "postgres", "s3"):
        assert services[server]["healthcheck"]["test"], server
    for name in SETTINGS:
        depends = services[name]["depends_on"]
        assert {k: v["condition"] for k, v in depends.items()} == {
            "nats": "service_healthy",
            "postgres": "service_healthy",
            "s3": "service_healthy",
            "setup": "service_completed_successfully",
        }
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"]), name
    assert services["setup"]["command"] == ["ttsjobs", "setup"]
    assert set(services["setup"]["environment"]) <= _env_names(CommonSettings)


def test_console_commands_in_compose_exist_in_pyproject():
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    for name in SETTINGS:
        assert f"ttsjobs-{name}" in scripts


def test_nats_config_enables_jetstream_on_the_mounted_volume():
    compose = _compose()["services"]["nats"]
    assert "./deploy/nats/nats.conf:/etc/nats/nats.conf:ro" in compose["volumes"]
    conf = (ROOT / "deploy/nats/nats.conf").read_text()
    assert "jetstream" in conf and "store_dir: /data/jetstream" in conf


def _jetstream_block(conf: str) -> str:
    """The `jetstream { ... }` block of a nats-server config, comments dropped."""
    lines = [line.split("#", 1)[0] for line in conf.splitlines()]
    text = "\n".join(lines)
    match = re.search(r"^\s*jetstream\s*\{(.*?)^\s*\}", text, re.MULTILINE | re.DOTALL)
    assert match, "no jetstream block"
    return match.group(1)


def _valid_for_nats_server(conf: str, tmp_path: Path) -> None:
    """nats-server itself parses the file (-t) with the environment a k8s pod gives it: a
    misspelt option, a bad value or a variable the pod does not set fails here."""
    path = tmp_path / "nats.conf"
    path.write_text(conf)
    checked = subprocess.run(
        [find_binary("nats-server"), "-t", "-c", str(path)],
        capture_output=True, text=True, env={**os.environ, **nats_pod_env("nats-0")},
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


def nats_pod_env(pod_name: str) -> dict[str, str]:
    """The NATS StatefulSet container's environment, its pod name filled in."""
    [container] = _by_kind("StatefulSet")["nats"]["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e.get("value", pod_name) for e in container["env"]}


def nats_cluster_conf() -> str:
    """The nats.conf of the `nats-config` ConfigMap that kustomize generates."""
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    [generator] = [g for g in kustomization["configMapGenerator"] if g["name"] == "nats-config"]
    [entry] = generator["files"]
    key, _, path = entry.partition("=")
    assert key == "nats.conf"
    return (K8S / path).read_text()


def test_every_shipped_nats_server_fsyncs_before_it_acks(tmp_path):
    """Compose mounts deploy/nats/nats.conf; Kubernetes has its own in a ConfigMap. Both say
    `sync_interval: always` inside `jetstream`, and nats-server accepts the file."""
    compose = _compose()["services"]["nats"]
    assert compose["command"] == ["-c", "/etc/nats/nats.conf"]
    k8s_nats = _by_kind("StatefulSet")["nats"]["spec"]["template"]["spec"]["containers"][0]
    assert k8s_nats["args"] == ["-c", "/etc/nats/nats.conf"]
    for conf in (
        (ROOT / "deploy/nats/nats.conf").read_text(),
        nats_cluster_conf(),
    ):
        assert re.search(r"^\s*sync_interval:\s*always\s*$", _jetstream_block(conf), re.M)
        _valid_for_nats_server(conf, tmp_path)


def test_s3_server_never_reports_telemetry():
    command = _compose()["services"]["s3"]["command"]
    assert "-master.telemetry=false" in command


def test_dockerfile_installs_the_project_without_the_embedded_servers():
    dockerfile = (ROOT / "deploy/Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "pip install ." in dockerfile and "[embedded]" not in dockerfile


def _k8s_documents() -> list[dict]:
    docs = []
    for path in sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml"):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def _by_kind(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in _k8s_documents() if d["kind"] == kind}


def test_kustomization_lists_every_manifest_and_each_parses():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    manifests = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests
    for doc in _k8s_documents():
        assert doc["apiVersion"] and doc["kind"] and doc["metadata"]["name"], doc


def test_kubernetes_services_get_only_variables_their_settings_read():
    config = _by_kind("ConfigMap")["ttsjobs-config"]["data"]
    secret = _by_kind("Secret")["ttsjobs-secrets"]["stringData"]
    shared = {k for k in [*config, *secret] if k.startswith("TTSJOBS_")}
    readers = set().union(*(_env_names(cls) for cls in SETTINGS.values()))
    assert shared <= readers, f"nothing reads {shared - readers}"
    deployments = _by_kind("Deployment")
    assert set(deployments) == set(SETTINGS)
    for name, settings_cls in SETTINGS.items():
        [container] = deployments[name]["spec"]["template"]["spec"]["containers"]
        assert container["command"] == [f"ttsjobs-{name}"]
        own = {e["name"] for e in container.get("env", [])}
        assert own <= _env_names(settings_cls), (
            f"{name}: nothing reads {own - _env_names(settings_cls)}"
        )
        refs = {next(iter(r.values()))["name"] for r in container["envFrom"]}
        assert refs == {"ttsjobs-config", "ttsjobs-secrets"}
        # Probes on the paths each service serves, and resources on every container.
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]
    [setup] = _by_kind("Job")["ttsjobs-setup"]["spec"]["template"]["spec"]["containers"]
    assert setup["command"] == ["ttsjobs", "setup"]


def test_nats_is_a_three_node_jetstream_cluster_and_streams_run_at_three_replicas():
    nats = _by_kind("StatefulSet")["nats"]
    assert nats["spec"]["replicas"] == 3
    conf = nats_cluster_conf()
    assert "jetstream" in conf and "routes: $NATS_CLUSTER_ROUTES" in conf
    assert nats_pod_env("nats-0")["NATS_CLUSTER_ROUTES"].count("nats://nats-") == 3
    assert _by_kind("ConfigMap")["ttsjobs-config"]["data"]["TTSJOBS_STREAM_REPLICAS"] == "3"
    from ttsjobs.messaging.topology import accounts_stream, job_stream

    assert job_stream(replicas=3).num_replicas == accounts_stream(3).num_replicas == 3


def test_synthesis_scales_on_its_consumer_backlog_and_drains_on_termination():
    from ttsjobs.contracts import subjects
    from ttsjobs_synthesis.subscriptions import SynthesisConsumerPolicy, job_created_subscription

    scaled = _by_kind("ScaledObject")["synthesis"]
    assert scaled["spec"]["scaleTargetRef"]["name"] == "synthesis"
    [trigger] = scaled["spec"]["triggers"]
    assert trigger["type"] == "nats-jetstream"
    assert trigger["metadata"]["stream"] == subjects.STREAM
    durable = job_created_subscription(SynthesisConsumerPolicy()).durable
    assert trigger["metadata"]["consumer"] == durable
    assert trigger["metadata"]["natsServerMonitoringEndpoint"].endswith(":8222")
    spec = _by_kind("Deployment")["synthesis"]["spec"]
    assert spec["template"]["spec"]["terminationGracePeriodSeconds"] >= 30
    replicas = {e["name"]: e["value"] for e in spec["template"]["spec"]["containers"][0]["env"]}
    assert int(replicas["TTSJOBS_REPLICAS"]) == scaled["spec"]["maxReplicaCount"]
    assert _by_kind("Deployment")["projection"]["spec"]["strategy"]["type"] == "Recreate"
