"""Where synthesis runs: a pool of processes per provider that keep their voices loaded.

Sizing follows the engine. espeak-ng is single-threaded, so it gets one process per core and a
job's turns really run side by side. One piper synthesis can spread over every core through
onnxruntime, but one single-threaded session per core measured faster here (see config.py), so
piper gets one process per core too, each told to use its share of the cores. A turn that
overruns its timeout has its process killed and replaced, so a stuck engine cannot hold a slot
forever (engine_processes.py). The timeout grows with the turn's spoken length: a fixed one cut
off long turns (2,000 Han characters are minutes of Kokoro) and the retry started them again.

The text an engine gets is in NFC: "Cafe\u0301" (macOS file names, some pasted text) would be
read as "Cafe" and a stray accent.
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ttsjobs.contracts.sentences import spoken_length
from ttsjobs.contracts.strings import nfc
from ttsjobs.contracts.voice_labels import labelled
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, language_fit
from ttsjobs_synthesis.audio import speech_loudness
from ttsjobs_synthesis.engine_processes import EngineProcesses, TurnTimeout
from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN, Pronunciation
from ttsjobs_synthesis.providers.base import Provider, Speech

__all__ = ["Engines", "ProcessEngines", "ProviderSpec", "TurnTimeout", "build_provider"]


class Engines(Protocol):
    def catalogue(self, provider: str) -> ProviderCatalogue | None: ...

    def parallelism(self, provider: str) -> int: ...

    def caches_segments(self, provider: str) -> bool: ...

    async def synthesize(
        self,
        provider: str,
        text: str,
        voice: str,
        *,
        speed: float,
        pitch: float,
        pronunciation: Pronunciation = PLAIN,
    ) -> Speech: ...


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    processes: int
    piper_voices_dir: Path | None = None
    kokoro_dir: Path | None = None


def build_provider(spec: ProviderSpec, *, threads: int | None = None) -> Provider:
    if spec.name == "piper":
        from ttsjobs_synthesis.providers.piper import PiperProvider

        return PiperProvider(spec.piper_voices_dir, threads=threads)
    if spec.name == "kokoro":
        from ttsjobs_synthesis.providers.kokoro import KokoroProvider

        return KokoroProvider(spec.kokoro_dir, threads=threads)
    if spec.name == "espeak":
        from ttsjobs_synthesis.providers.espeak import EspeakProvider

        return EspeakProvider()
    if spec.name == "tone":
        from ttsjobs_synthesis.providers.tone import ToneProvider

        return ToneProvider()
    raise ValueError(f"unknown provider {spec.name!r} in TTSJOBS_PROVIDERS")


# What each engine's speed is measured on: an ordinary sentence of a few seconds.
SPEED_SAMPLE = "Good morning. Here is the weather for today, and then the news at seven."


def _english_or_first(voices: list[VoiceInfo]) -> VoiceInfo:
    """The sample is English: a voice that reads it, where the engine has one."""
    return next((v for v in voices if language_fit(v.language, "en") == 2), voices[0])


# The provider of this pool process, built once by the initializer.
_worker_provider: Provider | None = None


def _init_worker(spec: ProviderSpec, threads: int) -> None:
    global _worker_provider
    _worker_provider = build_provider(spec, threads=threads)
    preload = getattr(_worker_provider, "preload", None)
    if preload is not None:
        preload()


# A turn may take the base timeout plus this per spoken character (sentences.spoken_length:
# a Han character counts as four). Kokoro under load took up to 0.32 s per Han character
# (96 s for 300); this allows 0.6 s, and 30 s more for a 200-letter English turn.
TIMEOUT_PER_SPOKEN_CHAR_S = 0.15


def timeout_for(text: str, *, base_s: float, per_char_s: float) -> float:
    """How long one turn of ``text`` may take before its process is replaced."""
    return base_s + per_char_s * spoken_length(text)


def _synthesize_in_worker(
    text: str, voice: str, speed: float, pitch: float, pronunciation: Pronunciation
) -> Speech:
    assert _worker_provider is not None
    t0 = time.perf_counter()
    speech = _worker_provider.synthesize(
        nfc(text), voice, speed=speed, pitch=pitch, pronunciation=pronunciation
    )
    # Measured here, in parallel with other turns, rather than when the job is put together.
    return dataclasses.replace(
        speech,
        loudness_lufs=speech_loudness(speech),
        synthesis_ms=(time.perf_counter() - t0) * 1000,
    )


class ProcessEngines:
    def __init__(
        self,
        specs: list[ProviderSpec],
        *,
        turn_timeout_s: float,
        timeout_per_char_s: float = TIMEOUT_PER_SPOKEN_CHAR_S,
    ) -> None:
        self._timeout_s = turn_timeout_s  # the base of every turn's timeout
        self._timeout_per_char_s = timeout_per_char_s
        self._catalogues: dict[str, ProviderCatalogue] = {}
        self._pools: dict[str, EngineProcesses] = {}
        self._parallelism: dict[str, int] = {}
        self._caches: dict[str, bool] = {}
        self._ready_s: dict[str, float] = {}  # how long each engine took to warm up
        cores = os.cpu_count() or 1
        # spawn, not fork: the parent holds NATS and asyncio threads that must not be copied.
        context = multiprocessing.get_context("spawn")
        for spec in specs:
            provider = build_provider(spec)
            self._catalogues[spec.name] = labelled(provider.catalogue()).model_copy(
                update={"parallel_turns": spec.processes}
            )
            self._caches[spec.name] = provider.caches_segments
            threads = max(1, cores // spec.processes)
            self._pools[spec.name] = EngineProcesses(
                context,
                count=spec.processes,
                setup=_init_worker,
                setup_args=(spec, threads),
                work=_synthesize_in_worker,
                timeout_s=turn_timeout_s,
            )
            self._parallelism[spec.name] = spec.processes

    def catalogue(self, provider: str) -> ProviderCatalogue | None:
        return self._catalogues.get(provider)

    def catalogues(self) -> list[ProviderCatalogue]:
        return list(self._catalogues.values())

    def parallelism(self, provider: str) -> int:
        return self._parallelism.get(provider, 1)

    def caches_segments(self, provider: str) -> bool:
        return self._caches.get(provider, True)

    async def warm_up(self) -> None:
        """Start every pool process now (voices load in their initializers)."""
        probes = []
        for name, catalogue in self._catalogues.items():
            voice = catalogue.voices[0].id
            for _ in range(self._parallelism[name]):
                probes.append(self._probe(name, voice))
        await asyncio.gather(*probes)

    async def _probe(self, provider: str, voice: str) -> None:
        t0 = time.perf_counter()
        await self.synthesize(provider, "ready", voice, speed=1.0, pitch=1.0)
        took_s = time.perf_counter() - t0
        self._ready_s[provider] = max(self._ready_s.get(provider, 0.0), took_s)

    def quickest_first(self) -> list[str]:
        """The providers, those that were ready soonest first (espeak before Kokoro)."""
        return sorted(self._catalogues, key=lambda name: self._ready_s.get(name, float("inf")))

    async def measure_speed(self, provider: str) -> ProviderCatalogue:
        """Time one sentence on a warm process; the catalogue, with its real-time factor.

        Measured as the worker starts, rather than from a job's first turns: the gateway
        answers "how long will this take" before any job has run, and a job's first ETA comes
        before its first turn ends. It runs after the warm-up word, so the model's load is not
        counted; Kokoro's first sentence still takes up to 1.5x its later ones here (0.74 s
        then 0.45 s a second of audio), so the factor errs long. Jobs refine it turn by turn
        (eta.SpeedMeter).
        """
        catalogue = self._catalogues[provider]
        voice = _english_or_first(catalogue.voices)
        speech = await self.synthesize(provider, SPEED_SAMPLE, voice.id, speed=1.0, pitch=1.0)
        elapsed_ms = speech.synthesis_ms or 0.0
        factor = round(elapsed_ms / max(1, speech.duration_ms), 4)
        catalogue = catalogue.model_copy(update={"realtime_factor": factor})
        self._catalogues[provider] = catalogue
        return catalogue

    async def synthesize(
        self,
        provider: str,
        text: str,
        voice: str,
        *,
        speed: float,
        pitch: float,
        pronunciation: Pronunciation = PLAIN,
    ) -> Speech:
        timeout_s = timeout_for(text, base_s=self._timeout_s, per_char_s=self._timeout_per_char_s)
        speech: Speech = await self._pools[provider].run(
            text, voice, speed, pitch, pronunciation, timeout_s=timeout_s
        )
        return speech

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
