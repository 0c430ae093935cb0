"""Projection settings, read from TTSJOBS_* environment variables."""

from __future__ import annotations

from ttsjobs.settings import CommonSettings
from ttsjobs_projection.subscriptions import ACCOUNT_EVENTS_SUBSCRIPTION, JOB_EVENTS_SUBSCRIPTION


class Settings(CommonSettings):
    # A second durable name lets a fresh database be filled from the stream beside the live one.
    projection_consumer: str = JOB_EVENTS_SUBSCRIPTION.durable
    accounts_consumer: str = ACCOUNT_EVENTS_SUBSCRIPTION.durable
    # How often the retention janitor looks for expired jobs; 0 turns it off.
    janitor_interval_s: float = 3600.0
    # The poison policy: tries of one failing event alone before it is dead-lettered.
    dead_letter_after: int = 5
    # The consumers named in dead letters, when not the durables (a rebuild's own durables
    # letter as the live ones, so that one event has one letter).
    projection_letters_as: str | None = None
    accounts_letters_as: str | None = None

    @property
    def letter_names(self) -> tuple[str, str]:
        return (
            self.projection_letters_as or self.projection_consumer,
            self.accounts_letters_as or self.accounts_consumer,
        )
