"""Benchmark: what a short job's assembly and storage cost the synthesis main process, with
in-memory fakes for the bus and the bucket (no servers): two turns of 0.5 s of tone, 16 kHz WAV.

    .venv/bin/python bench/short_job_assembly.py [--jobs 1500]

For older code, put its directories first on PYTHONPATH (as bench/long_job_memory.py says).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path

import numpy as np
import structlog

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.fakes import MemoryBus
from tests.unit.test_synthesis_handler import FakeEngines, MemoryStore, _deps

from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_gateway.publishers import job_created
from ttsjobs_synthesis.handlers import handle_job_created
from ttsjobs_synthesis.providers.base import Speech

BODY = {
    "provider": "piper",
    "turns": [{"speaker": "A", "text": "First line."}, {"speaker": "B", "text": "Second."}],
    "voice_assignments": {"A": {"voice": "en_US-joe-medium"}, "B": {"voice": "en_US-joe-medium"}},
}


class Tone(FakeEngines):
    async def synthesize(
        self, provider, text, voice, *, speed, pitch, pronunciation=None
    ) -> Speech:
        t = np.arange(8000) / 16000
        samples = (np.sin(2 * np.pi * 330 * t) * 9000).astype(np.int16)
        return Speech(samples, 16000, loudness_lufs=-14.0)

    def caches_segments(self, provider: str) -> bool:
        return False


class Bucket(MemoryStore):
    async def put(self, key, data, content_type, *, metadata=None) -> None:
        pass

    async def put_file(self, key, file, size, content_type) -> None:
        file.read(size)


async def run(jobs: int) -> list[float]:
    request = MultiRoleRequest.model_validate(BODY)
    engines, bucket = Tone(), Bucket()
    took = []
    for _ in range(jobs):
        created = job_created(request, user_id="u1")
        deps = _deps(MemoryBus(created), engines, bucket)
        began = time.perf_counter()
        await handle_job_created(created, attempt=1, deps=deps)
        took.append(time.perf_counter() - began)
    return sorted(took[jobs // 5 :])  # the first fifth warms up


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1500)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    took = asyncio.run(run(args.jobs))
    median, p90 = took[len(took) // 2], took[int(len(took) * 0.9)]
    print(f"per job: median {median * 1000:.3f} ms, p90 {p90 * 1000:.3f} ms ({len(took)} jobs)")


if __name__ == "__main__":
    main()
