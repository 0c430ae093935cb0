"""The engines port: what synthesis asks of the TTS engines, whatever runs them.

``Engines`` is what the handlers see: a provider's catalogue, how many of its turns run at once,
whether its turns are worth caching, and "synthesize this turn". ``ProviderEngines`` serves it
over one ``Engine`` per provider, built by the registry (providers/registry.py). How an engine
runs a turn is its own affair: the providers here run in pools of spawned processes
(process_engine.py); an engine that calls a TTS service over HTTP would hold a client and a
cap on requests in flight, and nothing here would change.

Whatever the engine, this module hands it the turn's text in NFC ("Cafe\u0301", from macOS file
names and some pasted text, would be read as "Cafe" and a stray accent), gives each turn time
in proportion to its spoken length (a fixed timeout cut off long turns: 2,000 Han characters
are minutes of Kokoro, and the retry started them again), measures each engine's speed once,
and stops them all.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

from ttsjobs.contracts.sentences import spoken_length
from ttsjobs.contracts.strings import nfc
from ttsjobs.contracts.voice_labels import labelled
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, language_fit
from ttsjobs_synthesis.engine_processes import TurnTimeout
from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN, Pronunciation
from ttsjobs_synthesis.providers.base import Speech

__all__ = ["Engine", "Engines", "ProviderEngines", "TurnTimeout", "timeout_for"]


class Engines(Protocol):
    """What the handlers use: every provider's engine, by the provider's name."""

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


class Engine(Protocol):
    """One provider's engine: how its turns are run."""

    @property
    def parallelism(self) -> int:
        """Turns it runs at once: its processes, or the requests it may have in flight."""
        ...

    @property
    def caches_segments(self) -> bool:
        """Whether a turn's speech is worth keeping in the segment cache (providers/base.py)."""
        ...

    def catalogue(self) -> ProviderCatalogue: ...

    async def start(self) -> None:
        """Ready for turns: loaded, and warmed up if its provider wants that."""
        ...

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
        """Speak one turn; raise ``TurnTimeout`` (the job is retried) after ``timeout_s``."""
        ...

    def close(self) -> None:
        """Stop; callable from any thread."""
        ...


# What each engine's speed is measured on: an ordinary sentence of a few seconds.
SPEED_SAMPLE = "Good morning. Here is the weather for today, and then the news at seven."
# A turn may take the base timeout plus this per spoken character (sentences.spoken_length:
# a Han character counts as four). Kokoro under load took up to 0.32 s per Han character
# (96 s for 300); this allows 0.6 s, and 30 s more for a 200-letter English turn.
TIMEOUT_PER_SPOKEN_CHAR_S = 0.15


def timeout_for(text: str, *, base_s: float, per_char_s: float) -> float:
    """How long one turn of ``text`` may take before its engine gives it up."""
    return base_s + per_char_s * spoken_length(text)


def _english_or_first(voices: list[VoiceInfo]) -> VoiceInfo:
    """The sample is English: a voice that reads it, where the engine has one."""
    return next((v for v in voices if language_fit(v.language, "en") == 2), voices[0])


class ProviderEngines:
    """``Engines`` over one ``Engine`` per provider."""

    def __init__(
        self,
        engines: dict[str, Engine],
        *,
        turn_timeout_s: float,
        timeout_per_char_s: float = TIMEOUT_PER_SPOKEN_CHAR_S,
    ) -> None:
        self._engines = engines
        self._timeout_s = turn_timeout_s  # the base of every turn's timeout
        self._timeout_per_char_s = timeout_per_char_s
        self._catalogues = {
            name: labelled(engine.catalogue()).model_copy(
                update={"parallel_turns": engine.parallelism}
            )
            for name, engine in engines.items()
        }
        self._ready_s: dict[str, float] = {}  # how long each engine took to start

    def catalogue(self, provider: str) -> ProviderCatalogue | None:
        return self._catalogues.get(provider)

    def catalogues(self) -> list[ProviderCatalogue]:
        return list(self._catalogues.values())

    def parallelism(self, provider: str) -> int:
        engine = self._engines.get(provider)
        return engine.parallelism if engine is not None else 1

    def caches_segments(self, provider: str) -> bool:
        engine = self._engines.get(provider)
        return engine.caches_segments if engine is not None else True

    async def start(self) -> None:
        """Start every engine, side by side."""
        await asyncio.gather(*(self._start(name) for name in self._engines))

    async def _start(self, provider: str) -> None:
        t0 = time.perf_counter()
        await self._engines[provider].start()
        self._ready_s[provider] = time.perf_counter() - t0

    def quickest_first(self) -> list[str]:
        """The providers, those that were ready soonest first (espeak before Kokoro)."""
        return sorted(self._catalogues, key=lambda name: self._ready_s.get(name, float("inf")))

    async def measure_speed(self, provider: str) -> ProviderCatalogue:
        """Time one sentence on a started engine; the catalogue, with its real-time factor.

        Measured as the worker starts, rather than from a job's first turns: the gateway
        answers "how long will this take" before any job has run, and a job's first ETA comes
        before its first turn ends. It runs after the engine's warm-up, so the model's load is
        not counted; Kokoro's first sentence still takes up to 1.5x its later ones here (0.74 s
        then 0.45 s a second of audio), so the factor errs long. Jobs refine it turn by turn
        (eta.SpeedMeter).
        """
        catalogue = self._catalogues[provider]
        voice = _english_or_first(catalogue.voices)
        t0 = time.perf_counter()
        speech = await self.synthesize(provider, SPEED_SAMPLE, voice.id, speed=1.0, pitch=1.0)
        elapsed_ms = speech.synthesis_ms or (time.perf_counter() - t0) * 1000
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
        return await self._engines[provider].synthesize(
            nfc(text),
            voice,
            speed=speed,
            pitch=pitch,
            pronunciation=pronunciation,
            timeout_s=timeout_s,
        )

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()
