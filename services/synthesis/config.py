"""Synthesis settings, read from TTSJOBS_* environment variables."""

from __future__ import annotations

import socket
from pathlib import Path

from pydantic import Field

from ttsjobs.contracts.job_request import RequestLimits
from ttsjobs.settings import CommonSettings


class Settings(CommonSettings):
    # Jobs this process runs at once. A piper synthesis already uses every core, so more slots
    # mostly overlap one job's storage and events with another's synthesis.
    worker_slots: int = 2
    # Synthesis processes expected to share the consumer; sizes max_ack_pending.
    replicas: int = 1
    worker_name: str = socket.gethostname()
    ack_wait_s: float = 30.0
    max_deliver: int = 5
    providers: list[str] = Field(default_factory=lambda: ["piper", "espeak"])
    piper_voices_dir: Path | None = None
    pause_between_turns_ms: int = 300
    limits: RequestLimits = RequestLimits()
