"""What a provider is: a TTS engine's voices and a blocking ``synthesize()`` that returns
``Speech``, plus the two errors that fail a job at once instead of retrying it.

A provider is one module in this folder, listed in registry.py; its module also says how it runs
(an ``Engine``, engines.py) and reads its own settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN, Pronunciation


@dataclass(frozen=True)
class TimedSpan:
    text: str  # the user's characters for it: text[char_start:char_end]
    start_ms: int  # from the start of this Speech's samples
    end_ms: int
    # Code points into the text synthesize() was given (the user's, NFC, before normalising),
    # so that a caption or a highlight points at what the user wrote, not at what was spoken.
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Timing:
    words: tuple[TimedSpan, ...]  # English: words; Mandarin: jieba's words
    characters: tuple[TimedSpan, ...]  # every spoken code point (CJK: by pinyin syllable)


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray  # mono int16
    sample_rate: int
    # Measured where the speech is made (an engine process, or the segment cache's metadata),
    # so that joining a job's turns does not measure them all again.
    loudness_lufs: float | None = None
    # The engine's own time for it, in its process: what the ETA learns from. The wall time of
    # a turn also holds its wait for a free process, which other jobs' turns lengthen.
    synthesis_ms: float | None = None
    # When each word and character is spoken; None where the engine gives no timing.
    timing: Timing | None = None

    @property
    def duration_ms(self) -> int:
        return round(len(self.samples) * 1000 / self.sample_rate)


class UnknownVoice(ValueError):
    """The voice is not in this provider's catalogue: a permanent error."""


class SynthesisRejected(ValueError):
    """The engine cannot say this text: a permanent error."""


class Provider(Protocol):
    name: str
    # Whether a turn's speech is worth keeping in the segment cache. A provider that speaks
    # faster than a bucket round trip says False: caching would cost more than it saves.
    caches_segments: bool

    def catalogue(self) -> ProviderCatalogue: ...

    def warm_up(self) -> None:
        """Called once where the provider will speak, before its first turn: load a model, say
        a first word (an engine's first inference is its slowest), or nothing at all."""
        ...

    def synthesize(
        self,
        text: str,
        voice: str,
        *,
        speed: float,
        pitch: float = 1.0,
        pronunciation: Pronunciation = PLAIN,
    ) -> Speech:
        """Blocking: the engine calls it off the event loop (in its own process, for the
        process engine). ``text`` is the user's, in NFC: the provider passes it through the
        prepare-text stage (prepare_text/) on its way to G2P."""
        ...
