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
    # At most this many jobs of one user run at once (per synthesis process); the rest wait
    # while other users' jobs take the free slots.
    per_user_limit: int = 3
    # A dead worker's hold on a user's slot lapses after this long.
    user_lease_ttl_s: float = 60.0
    # Jobs held for fair scheduling, each with its request.
    prefetch: int = 32
    # How many jobs a process may hold while it looks past one user's backlog for another
    # user's job (past the prefetch, without their requests: about a kilobyte each). A backlog
    # deeper than this (across all users) is seen as it drains.
    fair_window: int = 4096
    # Synthesis processes expected to share the consumer; sizes max_ack_pending.
    replicas: int = 1
    worker_name: str = socket.gethostname()
    ack_wait_s: float = 30.0
    max_deliver: int = 5
    # The providers this worker runs, by their names in providers/registry.py. Each reads its
    # own settings (TTSJOBS_KOKORO_DIR, TTSJOBS_PIPER_PROCESSES, ...) in its own module.
    providers: list[str] = Field(default_factory=lambda: ["kokoro", "piper", "espeak"])
    # A turn that takes longer (plus a little per character, engines.timeout_for) is abandoned
    # (its engine process replaced) and the job retried.
    turn_timeout_s: float = 120.0
    pause_between_turns_ms: int = 300
    # A job that ends within this long of its start publishes no JobProgressed: its last event
    # says all there is to say (progress_sender.py). 0: one per turn, always.
    progress_after_ms: int = Field(default=200, ge=0)
    # A job that ends within this long of its start uploads no live segments: it is heard whole
    # at its end, and its two PUTs a turn would only delay that end (live_segments.py).
    live_after_ms: int = Field(default=1000, ge=0)
    # Decoded segments kept in memory in front of the bucket (segment_memory.py); 0: none. At
    # 24 kHz, 64 MB holds about 20 minutes of speech.
    segment_memory_mb: int = Field(default=64, ge=0)
    # A job's audio is encoded into a file here before its upload, whatever its length (a 3-hour
    # 48 kHz WAV is about 1 GB); None: the system's temp dir. The file has no name: it goes
    # when the job ends, or with the process.
    spool_dir: Path | None = None
    limits: RequestLimits = RequestLimits()
