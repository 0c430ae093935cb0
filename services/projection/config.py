"""Projection settings, read from TTSJOBS_* environment variables."""

from __future__ import annotations

from ttsjobs.messaging.topology import ACCOUNTS_PROJECTION_DURABLE, PROJECTION_DURABLE
from ttsjobs.settings import CommonSettings


class Settings(CommonSettings):
    # A second durable name lets a fresh database be filled from the stream beside the live one.
    projection_consumer: str = PROJECTION_DURABLE
    accounts_consumer: str = ACCOUNTS_PROJECTION_DURABLE
    # How often the retention janitor looks for expired jobs; 0 turns it off.
    janitor_interval_s: float = 3600.0
