"""The engine the providers here run on: spawned processes that each hold one provider with its
voices loaded, one turn at a time per process (engine_processes.py).

Sizing follows the engine. espeak-ng is single-threaded, so it gets one process per core and a
job's turns really run side by side. One piper synthesis can spread over every core through
onnxruntime, but one single-threaded session per core measured faster here (see bench/README.md),
so piper gets one process per core too, each told to use its share of the cores. A turn that
overruns its timeout has its process killed and replaced, so a stuck engine cannot hold a slot
forever.

A provider that runs this way says so with an ``InProcesses`` entry in its module: its settings
class (``TTSJOBS_<NAME>_PROCESSES`` and its own fields) and a module-level ``build`` function,
which each spawned process imports by name.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs_synthesis.audio import speech_loudness
from ttsjobs_synthesis.engine_processes import EngineProcesses
from ttsjobs_synthesis.engines import Engine
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers.base import Provider, Speech


class ProcessSettings(Protocol):
    """What a process engine reads of its provider's settings (a pydantic-settings class with
    ``env_prefix="TTSJOBS_<NAME>_"`` in the provider's module)."""

    @property
    def processes(self) -> int | None:
        """Processes, each holding the provider; None: one per core."""
        ...


SettingsT = TypeVar("SettingsT", bound=ProcessSettings)
# Builds the provider from its settings; ``threads`` is this process's share of the cores, or
# None in the service's own process, which builds one only for its catalogue.
Build = Callable[[SettingsT, int | None], Provider]


@dataclass(frozen=True)
class InProcesses(Generic[SettingsT]):
    """A registry entry: the provider runs in a pool of spawned processes."""

    settings: type[SettingsT]
    build: Build[SettingsT]  # module-level, so that a spawned process can import it

    def engine(self, **overrides: Any) -> Engine:
        """Its engine, with settings from the environment and ``overrides`` over them."""
        settings = self.settings(**overrides)
        return ProcessEngine(self.build, settings, processes=settings.processes or cores())


def cores() -> int:
    return os.cpu_count() or 1


# The provider of this engine process, built once by _set_up.
_provider: Provider | None = None


def _set_up(build: Build[Any], settings: ProcessSettings, threads: int) -> None:
    global _provider
    _provider = build(settings, threads)
    _provider.warm_up()


def _speak(
    text: str, voice: str, speed: float, pitch: float, pronunciation: Pronunciation
) -> Speech:
    assert _provider is not None
    t0 = time.perf_counter()
    speech = _provider.synthesize(
        text, voice, speed=speed, pitch=pitch, pronunciation=pronunciation
    )
    # Measured here, in parallel with other turns, rather than when the job is put together.
    return dataclasses.replace(
        speech,
        loudness_lufs=speech_loudness(speech),
        synthesis_ms=(time.perf_counter() - t0) * 1000,
    )


class ProcessEngine:
    """An ``Engine`` (engines.py): ``processes`` spawned processes, each running one turn at a
    time."""

    def __init__(self, build: Build[SettingsT], settings: SettingsT, *, processes: int) -> None:
        provider = build(settings, None)  # here only for what it offers; the processes speak
        self._catalogue = provider.catalogue()
        self.caches_segments = provider.caches_segments
        self.parallelism = processes
        # spawn, not fork: the parent holds NATS and asyncio threads that must not be copied.
        self._processes = EngineProcesses(
            multiprocessing.get_context("spawn"),
            count=processes,
            setup=_set_up,
            setup_args=(build, settings, max(1, cores() // processes)),
            work=_speak,
        )

    def catalogue(self) -> ProviderCatalogue:
        return self._catalogue

    async def start(self) -> None:
        """Every process spawned, its provider built and warmed up as it chose."""
        await self._processes.start()

    async def synthesize(
        self,
        text: str,
        voice: str,
        *,
        speed: float,
        pitch: float,
        pronunciation: Pronunciation,
        timeout_s: float,
    ) -> Speech:
        speech: Speech = await self._processes.run(
            text, voice, speed, pitch, pronunciation, timeout_s=timeout_s
        )
        return speech

    def close(self) -> None:
        self._processes.close()
