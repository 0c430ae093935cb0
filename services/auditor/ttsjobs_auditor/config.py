"""Auditor settings, read from TTSJOBS_* environment variables."""

from __future__ import annotations

from ttsjobs.settings import CommonSettings


class Settings(CommonSettings):
    # JobCompleted events handled at once.
    auditor_concurrency: int = 4
