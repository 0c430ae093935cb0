"""A job's audio goes through a file on disk: turns are written as they finish, only a few run
ahead of the first one not yet written, the audio may not pass the job's duration limit, and
the file is gone once the job has ended, however it ended."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import eventually
from tests.support.fakes import MemoryBus
from tests.unit.test_synthesis_handler import POLICY, FakeEngines, MemoryStore, _run
from ttsjobs.contracts.job_events import JobCancelled, JobCompleted
from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits
from ttsjobs.messaging.consumer import PermanentFailure
from ttsjobs_gateway.publishers import job_created
from ttsjobs_synthesis import spool
from ttsjobs_synthesis.providers.base import Speech
from ttsjobs_synthesis.turns import turns_ahead


def _job(turns: int, *, text: str = "Line {i} of a longer talk.", **fields):
    body = {
        **fields,
        "provider": "piper",
        "turns": [
            {"speaker": "Ann" if i % 2 else "Ben", "text": text.format(i=i)} for i in range(turns)
        ],
        "voice_assignments": {
            "Ann": {"voice": "en_US-joe-medium"},
            "Ben": {"voice": "en_US-joe-medium"},
        },
    }
    return job_created(MultiRoleRequest.model_validate(body), user_id="u1")


def _spool_files(spool_dir: Path) -> list[str]:
    """Files in the spool directory, named or not: this process's open descriptors that point
    into it (an unnamed temp file shows as ``<dir>/#123 (deleted)``), and its entries."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # closed since listed
        if target.startswith(f"{spool_dir}/"):
            held.append(target)
    return held + [p.name for p in spool_dir.iterdir()]


class SpoolWatchingStore(MemoryStore):
    """Records where each uploaded audio file lives."""

    def __init__(self) -> None:
        super().__init__()
        self.uploaded_from: list[str] = []

    async def put_file(self, key, file, size, content_type):
        self.uploaded_from.append(os.readlink(f"/proc/self/fd/{file.fileno()}"))
        await super().put_file(key, file, size, content_type)


def _policy(spool_dir: Path, **limits):
    return dataclasses.replace(POLICY, spool_dir=spool_dir, limits=RequestLimits(**limits))


class Drawling(FakeEngines):
    """Speaks a second per character: far longer than any estimate from the text."""

    async def synthesize(
        self, provider, text, voice, *, speed, pitch, pronunciation=None
    ) -> Speech:
        self.said.append(text)
        return Speech(np.full(len(text) * 1000, 3000, dtype=np.int16), 1000)


async def test_the_audio_is_uploaded_from_a_spool_file_that_is_gone_after_the_job(tmp_path):
    created, store = _job(5, sample_rate=48000), SpoolWatchingStore()
    bus = MemoryBus(created)
    await _run(bus, created, Drawling(), store, policy=_policy(tmp_path))
    assert type(bus.history[-1]) is JobCompleted
    assert bus.history[-1].data.result.audio.size_bytes > spool.IN_MEMORY_BYTES, "on disk"
    assert len(store.uploaded_from) == 1 and store.uploaded_from[0].startswith(f"{tmp_path}/")
    assert _spool_files(tmp_path) == []


async def test_a_job_whose_audio_passes_the_limit_fails_naming_it_and_stores_nothing(tmp_path):
    created, engines, store = _job(40, text="Hi {i}."), Drawling(), MemoryStore()
    bus = MemoryBus(created)
    policy = _policy(tmp_path, max_audio_seconds=60)  # 40 turns of 5-6 s
    with pytest.raises(PermanentFailure, match=r"TTSJOBS_LIMITS__MAX_AUDIO_SECONDS") as raised:
        await _run(bus, created, engines, store, policy=policy)
    assert str(raised.value).startswith("the audio passed 1 minute, the limit")
    assert not any(isinstance(e, JobCompleted) for e in bus.history)
    assert not any(key.startswith("audio/") for key in store.objects)
    assert len(engines.said) < 40, "the job stopped rather than go on"
    assert _spool_files(tmp_path) == []


class RejectsOnceTheFileIsOpen(FakeEngines):
    """Rejects one turn, but only once the job's audio file is open (an earlier turn is in it)."""

    def __init__(self, reject: str, spool_dir: Path) -> None:
        super().__init__(reject)
        self.spool_dir = spool_dir

    async def synthesize(
        self, provider, text, voice, *, speed, pitch, pronunciation=None
    ) -> Speech:
        if text == self.reject:
            await eventually(
                lambda: asyncio.sleep(0, _spool_files(self.spool_dir)),
                timeout_s=10,
                what="the spool file open",
            )
        return await super().synthesize(provider, text, voice, speed=speed, pitch=pitch)


async def test_the_spool_file_is_gone_after_a_failed_or_cancelled_job(tmp_path):
    created = _job(6, output_format="flac")  # a file from the first turn: WAV waits in memory
    engines = RejectsOnceTheFileIsOpen(created.data.request.turns[4].text, tmp_path)
    with pytest.raises(PermanentFailure, match=r"turn 5"):
        await _run(MemoryBus(created), created, engines, MemoryStore(), policy=_policy(tmp_path))
    assert _spool_files(tmp_path) == []

    bus = MemoryBus(created)
    await _run(bus, created, FakeEngines(), MemoryStore(), policy=_policy(tmp_path), cancel=True)
    assert type(bus.history[-1]) is JobCancelled
    assert _spool_files(tmp_path) == []


class HoldsTheFirstTurn(FakeEngines):
    """Turn 0 takes until released; records the turns asked for meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.asked_while_held: list[int] = []

    async def synthesize(
        self, provider, text, voice, *, speed, pitch, pronunciation=None
    ) -> Speech:
        index = int(text.split()[1])
        if index == 0:
            await self.release.wait()
        elif not self.release.is_set():
            self.asked_while_held.append(index)
        return await super().synthesize(provider, text, voice, speed=speed, pitch=pitch)


async def test_turns_run_ahead_of_the_first_unwritten_turn_only_so_far(tmp_path):
    """While turn 0 is slow, the later turns that finish wait for it in memory: only a few of
    them may start, not the whole job."""
    created, engines = _job(40), HoldsTheFirstTurn()
    ahead = turns_ahead(engines.parallelism("piper"))
    bus = MemoryBus(created)
    job = asyncio.create_task(_run(bus, created, engines, MemoryStore(), policy=_policy(tmp_path)))

    async def others_done() -> bool:
        return len(engines.asked_while_held) >= ahead - 1

    await eventually(others_done, timeout_s=10, what="the turns after turn 0 synthesized")
    for _ in range(20):  # let anything that could start start
        await asyncio.sleep(0)
    assert sorted(engines.asked_while_held) == list(range(1, ahead))
    engines.release.set()
    await job
    assert type(bus.history[-1]) is JobCompleted
    assert [t.index for t in bus.history[-1].data.result.turn_timings] == list(range(40))


def test_start_up_makes_the_spool_dir_and_removes_only_files_a_crash_left(tmp_path):
    folder = tmp_path / "spool"
    assert spool.prepare(folder) == 0 and folder.is_dir()
    stale, fresh, other = (folder / n for n in ("ttsjobs-audio-1", "ttsjobs-audio-2", "notes"))
    for path in (stale, fresh, other):
        path.write_bytes(b"RIFF")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert spool.prepare(folder) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["notes", "ttsjobs-audio-2"]
