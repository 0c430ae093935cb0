"""A job's audio put together by the streaming assembly, for tests of how it sounds."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from ttsjobs.contracts.job_request import Mastering, OutputFormat
from ttsjobs_synthesis.assembly import AssemblyPlan, JobAssembly, TurnPlan, TurnSink
from ttsjobs_synthesis.audio import Span
from ttsjobs_synthesis.mastering import Measured
from ttsjobs_synthesis.providers.base import Speech


@dataclass(frozen=True)
class Assembled:
    data: bytes  # the encoded file
    spans: list[Span]
    rate: int
    duration_ms: int
    loudness: Measured | None = None  # as the assembly measured the file
    premaster: np.ndarray | None = None  # the mix before mastering, if the job was mastered

    def samples(self) -> np.ndarray:
        decoded, _ = sf.read(io.BytesIO(self.data), dtype="float32")
        return decoded


async def assembled(
    turns: Sequence[Speech | tuple[Speech, TurnPlan]],
    *,
    fmt: OutputFormat = OutputFormat.wav,
    rate: int | None = None,
    order: Sequence[int] | None = None,
    max_audio_seconds: int = 10_800,
    spool_dir: Path | None = None,
    sinks: Sequence[TurnSink] = (),
    bitrate_kbps: int | None = None,
    mastering: Mastering = Mastering.none,
) -> Assembled:
    """``turns`` handed to the assembly in ``order`` (default: as listed), as a job's finished
    turns are; the file it made, and where each turn sits."""
    pairs = [t if isinstance(t, tuple) else (t, TurnPlan()) for t in turns]
    plan = AssemblyPlan(
        [p for _, p in pairs],
        fmt,
        rate,
        max_audio_seconds=max_audio_seconds,
        spool_dir=spool_dir,
        sinks=tuple(sinks),
        bitrate_kbps=bitrate_kbps,
        mastering=mastering,
    )
    assembly = JobAssembly(plan)
    try:
        for index in order if order is not None else range(len(pairs)):
            await assembly.add(index, pairs[index][0])
        stored = await assembly.finish()
        data = assembly.reader().read()
        assert len(data) == stored.size_bytes
        return Assembled(
            data,
            list(assembly.spans),
            assembly.rate,
            assembly.duration_ms,
            assembly.loudness,
            assembly.premaster_mix(),
        )
    finally:
        assembly.close()
