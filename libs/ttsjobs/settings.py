"""Settings every service shares: where NATS, PostgreSQL and S3 are. Read from TTSJOBS_* vars.

Each service defines one ``Settings`` class that extends this base with its own fields.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TTSJOBS_", env_nested_delimiter="__", extra="ignore"
    )

    log_level: str = "INFO"
    # One NATS URL, or a cluster's as a comma-separated list: a client connects to any of
    # them and, when that one is lost, reconnects to any other (see nats_servers).
    nats_url: str = "nats://127.0.0.1:4222"
    # Secret: a managed PostgreSQL URL carries a password.
    database_url: SecretStr = SecretStr("postgresql://postgres@127.0.0.1:5432/postgres")
    s3_endpoint: str = Field(default="http://127.0.0.1:8333", description="http(s)://host:port")
    s3_access_key: SecretStr = SecretStr("ttsjobs")
    s3_secret_key: SecretStr = SecretStr("ttsjobs-secret")
    s3_region: str | None = None
    s3_bucket: str = "ttsjobs-audio"
    # Jobs, their audio and cached segments are kept this long; the stream a day longer.
    retention_days: float = 30
    # JetStream copies of each stream: 1 on one server, 3 on a three-node cluster.
    stream_replicas: int = 1
    # Callback URLs must start with one of these (scheme, host, port and path prefix); none
    # are allowed by default, so that jobs cannot make the service call arbitrary addresses.
    callback_allowlist: list[str] = Field(default_factory=list)
    # Traces go to this OTLP/HTTP collector (e.g. http://otel-collector:4318); none if unset.
    otlp_endpoint: str | None = None
    # Also write every finished span as a JSON line to this file (debugging, the test suite).
    trace_file: str | None = None
    # Synthesis and the projection serve /healthz, /readyz and /metrics here (the gateway
    # serves them on its own port); no probe server when the port is unset.
    probe_host: str = "127.0.0.1"
    probe_port: int | None = None

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)

    @property
    def nats_servers(self) -> list[str]:
        return nats_servers(self.nats_url)


def nats_servers(url: str) -> list[str]:
    """``nats://a:4222,nats://b:4222`` as the list nats-py's ``servers=`` takes."""
    servers = [part.strip() for part in url.split(",") if part.strip()]
    if not servers:
        raise ValueError(f"no NATS URL in {url!r}")
    return servers


def settings_with(env: dict[str, str]) -> CommonSettings:
    """Common settings from the process environment, overlaid with ``env`` (TTSJOBS_* names)."""
    fields = CommonSettings.model_fields
    overrides: dict[str, Any] = {
        name: json.loads(value) if value[:1] in ("[", "{") else value  # as the env source reads
        for key, value in env.items()
        if (name := key.removeprefix("TTSJOBS_").lower()) in fields and key.startswith("TTSJOBS_")
    }
    return CommonSettings(**overrides)


def s3_host_and_secure(endpoint: str) -> tuple[str, bool]:
    """minio wants ``host:port`` and a TLS flag rather than a URL."""
    parsed = urlparse(endpoint if "://" in endpoint else f"http://{endpoint}")
    if not parsed.netloc:
        raise ValueError(f"S3 endpoint {endpoint!r} has no host")
    return parsed.netloc, parsed.scheme == "https"
