"""``tone``: a test provider for load work and fault drills. Each turn is a short generated tone,
so a job runs the real path (engine pool, levelling, encoding, storage, events) at next to no
compute. It skips the segment cache, as any provider faster than a bucket round trip should,
and needs no warm-up. Switched on by listing it in TTSJOBS_PROVIDERS; off by default.

The voice ``poison`` kills the engine process that runs it, every time: a turn that can never be
synthesized, for the drill that shows such a job ends failed and blocks nobody.
"""

from __future__ import annotations

import os

import numpy as np
from pydantic_settings import BaseSettings, SettingsConfigDict

from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN, Pronunciation
from ttsjobs_synthesis.process_engine import InProcesses
from ttsjobs_synthesis.providers.base import Speech, UnknownVoice

SAMPLE_RATE = 16_000
_PITCHES_HZ = {"low": 220.0, "mid": 330.0, "high": 440.0}
_MS_PER_CHAR = 8
_MAX_MS = 4_000


class ToneProvider:
    name = "tone"
    caches_segments = False  # a tone is made faster than a segment is read from the bucket

    def __init__(self) -> None:
        voices = [
            VoiceInfo(id=v, name=f"{v} tone ({hz:.0f} Hz)", language="zxx",
                      sample_rate=SAMPLE_RATE, settings=["speed", "pitch"])
            for v, hz in _PITCHES_HZ.items()
        ] + [VoiceInfo(id="poison", name="kills its engine process (fault drills)",
                       language="zxx", sample_rate=SAMPLE_RATE, settings=["speed"])]  # fmt: skip
        self._catalogue = ProviderCatalogue(
            provider=self.name,
            description="test provider: a tone per turn, for load tests and fault drills",
            voices=voices,
        )

    def catalogue(self) -> ProviderCatalogue:
        return self._catalogue

    def warm_up(self) -> None:
        return None  # nothing to load: a tone is made from scratch

    def synthesize(
        self,
        text: str,
        voice: str,
        *,
        speed: float,
        pitch: float = 1.0,
        pronunciation: Pronunciation = PLAIN,  # a tone says nothing, so reads nothing
    ) -> Speech:
        if voice == "poison":
            os._exit(70)  # what a crashing native engine looks like from the pool
        if voice not in _PITCHES_HZ:
            raise UnknownVoice(voice)
        ms = min(_MAX_MS, max(100, len(text) * _MS_PER_CHAR)) / speed
        t = np.arange(int(SAMPLE_RATE * ms / 1000)) / SAMPLE_RATE
        wave = np.sin(2 * np.pi * _PITCHES_HZ[voice] * pitch * t)
        fade = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.01)  # 10 ms ramps: no clicks
        samples = (wave * fade * 0.3 * 32767).astype(np.int16)
        return Speech(samples=samples, sample_rate=SAMPLE_RATE)


class ToneSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TTSJOBS_TONE_", extra="ignore")

    # Single-threaded, like espeak: one process per core runs a job's turns side by side.
    processes: int | None = None


def build(settings: ToneSettings, threads: int | None) -> ToneProvider:
    return ToneProvider()


ENTRY = InProcesses(ToneSettings, build)
