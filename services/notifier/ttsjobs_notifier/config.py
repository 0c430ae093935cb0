"""Notifier settings, read from TTSJOBS_* environment variables."""

from __future__ import annotations

from pydantic import SecretStr

from ttsjobs.settings import CommonSettings


class Settings(CommonSettings):
    # Deliveries are signed with this; receivers verify with the same secret.
    webhook_secret: SecretStr = SecretStr("change-me")
    webhook_timeout_s: float = 10.0
    # Attempts per job, including the first; the waits between them double from the base.
    webhook_max_attempts: int = 6
    webhook_backoff_base_s: float = 2.0
    webhook_backoff_max_s: float = 600.0
    # Deliveries in flight at once (a slow receiver holds one slot, not the notifier).
    webhook_concurrency: int = 8
