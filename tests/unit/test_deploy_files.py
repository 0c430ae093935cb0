"""docker-compose.yml and deploy/ cannot run here (no Docker engine), so they are parsed and
checked against the code: every variable a service is given is one its Settings reads."""

from __future__ import annotations

from pathlib import Path

import yaml

from ttsjobs_gateway.config import Settings as GatewaySettings
from ttsjobs_projection.config import Settings as ProjectionSettings
from ttsjobs_synthesis.config import Settings as SynthesisSettings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {
    "gateway": GatewaySettings,
    "synthesis": SynthesisSettings,
    "projection": ProjectionSettings,
}


def _env_names(settings_cls) -> set[str]:
    prefix = settings_cls.model_config["env_prefix"]
    return {f"{prefix}{name}".upper() for name in settings_cls.model_fields}


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_each_service_gets_only_variables_its_settings_read():
    services = _compose()["services"]
    for name, settings_cls in SETTINGS.items():
        env = services[name]["environment"]
        unknown = {k for k in env if k.startswith("TTSJOBS_")} - _env_names(settings_cls)
        assert not unknown, f"{name} is given variables nothing reads: {unknown}"
        assert services[name]["command"] == [f"ttsjobs-{name}"]


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
        }


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


def test_s3_server_never_reports_telemetry():
    command = _compose()["services"]["s3"]["command"]
    assert "-master.telemetry=false" in command


def test_dockerfile_installs_the_project_without_the_embedded_servers():
    dockerfile = (ROOT / "deploy/Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "pip install ." in dockerfile and "[embedded]" not in dockerfile
