"""How long a job has left, for its progress: from the engine's speed, refined as turns finish.

Speed is counted in milliseconds of synthesis per millisecond of the audio a turn is expected
to make (contracts/duration.py, the estimate the gateway's limit uses), so a voice measured on
English predicts its Mandarin turns too: characters would not (a Han character is four times
as long to say as a letter). A voice not measured yet on this worker takes its engine's rate
over all the voices measured so far, and an engine with no turns yet takes the real-time
factor the worker measured as it started (engines.measure_speed). So a job has an ETA from
the moment it starts, before its first turn ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ttsjobs.contracts.casting import cast_voice
from ttsjobs.contracts.duration import speaking_ms
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.voices import ProviderCatalogue


class EngineFacts(Protocol):
    """What the ETA needs of the engines (engines.Engines has it)."""

    def catalogue(self, provider: str) -> ProviderCatalogue | None: ...

    def parallelism(self, provider: str) -> int: ...


@dataclass
class SpeedMeter:
    """Exponentially weighted synthesis time per expected audio time, per voice and engine."""

    smoothing: float = 0.3
    _per_voice: dict[tuple[str, str], float] = field(default_factory=dict)
    _per_provider: dict[str, float] = field(default_factory=dict)

    def observe(self, provider: str, voice: str, *, audio_ms: float, ms: float) -> None:
        """A turn of ``audio_ms`` expected audio took ``ms`` to synthesise."""
        if audio_ms <= 0:
            return
        sample = ms / audio_ms
        self._per_voice[(provider, voice)] = self._smoothed(
            self._per_voice.get((provider, voice)), sample
        )
        self._per_provider[provider] = self._smoothed(self._per_provider.get(provider), sample)

    def rate(self, provider: str, voice: str, *, prior: float | None = None) -> float | None:
        """The voice's rate; else its engine's; else ``prior``, the engine's real-time factor."""
        measured = self._per_voice.get((provider, voice), self._per_provider.get(provider))
        return measured if measured is not None else prior

    def estimate_ms(
        self, provider: str, work: RemainingWork, *, parallel: int, prior: float | None = None
    ) -> int | None:
        """Time left for ``work`` run ``parallel`` turns at a time; None when nothing says how
        fast the engine is."""
        total = 0.0
        for voice, audio_ms in work.by_voice().items():
            if audio_ms <= 0:
                continue
            rate = self.rate(provider, voice, prior=prior)
            if rate is None:
                return None
            total += rate * audio_ms
        return round(total / max(1, min(parallel, work.turns_left)))

    def _smoothed(self, previous: float | None, sample: float) -> float:
        return sample if previous is None else previous + self.smoothing * (sample - previous)


class RemainingWork:
    """A job's turns not finished yet, as expected audio per voice. Kept as sums, so an
    estimate after each turn costs a step per voice, not one per turn (a long text's job has
    thousands of turns)."""

    def __init__(self, turns: list[tuple[str, float]]) -> None:
        self._turns = turns  # (voice, expected audio ms) by turn index
        self._left: dict[str, float] = {}
        for voice, audio_ms in turns:
            self._left[voice] = self._left.get(voice, 0.0) + audio_ms
        self._finished: set[int] = set()

    @classmethod
    def of(cls, request: MultiRoleRequest) -> RemainingWork:
        """The whole of a cast request's work."""
        assignments = request.voice_assignments
        return cls(
            [
                (
                    cast_voice(assignments[turn.speaker]),
                    speaking_ms(turn.text, speed=assignments[turn.speaker].speed),
                )
                for turn in request.turns
            ]
        )

    def expected_audio_ms(self, index: int) -> float:
        return self._turns[index][1]

    def finish(self, index: int) -> None:
        if index in self._finished:
            return
        self._finished.add(index)
        voice, audio_ms = self._turns[index]
        self._left[voice] = max(0.0, self._left[voice] - audio_ms)

    @property
    def turns_left(self) -> int:
        return len(self._turns) - len(self._finished)

    def by_voice(self) -> Mapping[str, float]:
        return self._left if self.turns_left else {}


def time_left_ms(
    speed: SpeedMeter, engines: EngineFacts, provider: str, work: RemainingWork
) -> int | None:
    """The time ``work`` has left on ``provider``: as fast as this worker measured it, or as
    the engine's real-time factor says before anything has been."""
    catalogue = engines.catalogue(provider)
    return speed.estimate_ms(
        provider,
        work,
        parallel=engines.parallelism(provider),
        prior=catalogue.realtime_factor if catalogue else None,
    )
