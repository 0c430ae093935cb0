"""How long a job has left, for its progress: from the engine's speed, refined as turns finish.

A turn's time is a fixed part plus milliseconds of synthesis per millisecond of the audio it
is expected to make (contracts/duration.py, the estimate the gateway's limit uses), so a voice
measured on English predicts its Mandarin turns too: characters would not (a Han character is
four times as long to say as a letter). A voice not measured yet on this worker takes its
engine's line over all the voices measured so far, and an engine with no turns yet takes the
real-time factor the worker measured as it started (engines.measure_speed). So a job has an
ETA from the moment it starts, before its first turn ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ttsjobs.contracts.casting import cast_voice
from ttsjobs.contracts.duration import speaking_ms
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs_synthesis.turn_delivery import delivery


class EngineFacts(Protocol):
    """What the ETA needs of the engines (engines.Engines has it)."""

    def catalogue(self, provider: str) -> ProviderCatalogue | None: ...

    def parallelism(self, provider: str) -> int: ...


# How much an older turn counts against the one after it: about the last ten turns decide.
KEEP = 0.9
# Turns whose lengths differ less than this (their spread against their mean) say nothing of
# the cost per turn: only the rate is taken from them.
_SPREAD_FOR_A_LINE = 0.2
Line = tuple[float, float]  # (ms per turn, ms per expected audio ms)


@dataclass
class _Fit:
    """ms = per_turn + rate * audio_ms, least squares over recent turns, older ones fading.

    A line, not a ratio: each turn costs a fixed part (the engine's round trip, loudness, the
    text's preparation) besides its length. A ratio learned on short turns took espeak's 80 s
    turns for 7 times as long as they were."""

    n: float = 0.0
    x: float = 0.0
    y: float = 0.0
    xx: float = 0.0
    xy: float = 0.0

    def add(self, audio_ms: float, ms: float) -> None:
        self.n = self.n * KEEP + 1
        self.x = self.x * KEEP + audio_ms
        self.y = self.y * KEEP + ms
        self.xx = self.xx * KEEP + audio_ms * audio_ms
        self.xy = self.xy * KEEP + audio_ms * ms

    def line(self) -> Line:
        ratio = (0.0, self.y / self.x)
        spread = self.n * self.xx - self.x * self.x  # n² times the variance of the lengths
        if spread <= (_SPREAD_FOR_A_LINE * self.x) ** 2:
            return ratio
        rate = (self.n * self.xy - self.x * self.y) / spread
        per_turn = (self.y - rate * self.x) / self.n
        return (per_turn, rate) if rate > 0 and per_turn >= 0 else ratio


@dataclass
class SpeedMeter:
    """How long a turn takes on this worker, per voice and per engine, from the turns so far."""

    _per_voice: dict[tuple[str, str], _Fit] = field(default_factory=dict)
    _per_provider: dict[str, _Fit] = field(default_factory=dict)

    def observe(self, provider: str, voice: str, *, audio_ms: float, ms: float) -> None:
        """A turn of ``audio_ms`` expected audio took ``ms`` to synthesise."""
        if audio_ms <= 0:
            return
        self._per_voice.setdefault((provider, voice), _Fit()).add(audio_ms, ms)
        self._per_provider.setdefault(provider, _Fit()).add(audio_ms, ms)

    def line(self, provider: str, voice: str, *, prior: float | None = None) -> Line | None:
        """The voice's cost per turn and per ms of audio; else its engine's; else ``prior``,
        the engine's real-time factor, alone; None if there is none."""
        fit = self._per_voice.get((provider, voice)) or self._per_provider.get(provider)
        if fit is not None:
            return fit.line()
        return None if prior is None else (0.0, prior)

    def estimate_ms(
        self, provider: str, work: RemainingWork, *, parallel: int, prior: float | None = None
    ) -> int | None:
        """Time left for ``work`` run ``parallel`` turns at a time; None when nothing says how
        fast the engine is."""
        total = 0.0
        for voice, (turns, audio_ms) in work.by_voice().items():
            if turns == 0:
                continue
            line = self.line(provider, voice, prior=prior)
            if line is None:
                return None
            total += line[0] * turns + line[1] * audio_ms
        return round(total / max(1, min(parallel, work.turns_left)))


class RemainingWork:
    """A job's turns not finished yet, as expected audio per voice. Kept as sums, so an
    estimate after each turn costs a step per voice, not one per turn (a long text's job has
    thousands of turns)."""

    def __init__(self, turns: list[tuple[str, float]]) -> None:
        self._turns = turns  # (voice, expected audio ms) by turn index
        self._left: dict[str, tuple[int, float]] = {}  # voice: (turns, expected audio ms)
        for voice, audio_ms in turns:
            count, total = self._left.get(voice, (0, 0.0))
            self._left[voice] = (count + 1, total + audio_ms)
        self._finished: set[int] = set()

    @classmethod
    def of(cls, request: MultiRoleRequest) -> RemainingWork:
        """The whole of a cast request's work."""
        assignments = request.voice_assignments
        return cls(
            [
                (
                    cast_voice(assignments[turn.speaker]),
                    speaking_ms(turn.text, speed=delivery(turn, assignments[turn.speaker]).speed),
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
        count, total = self._left[voice]
        self._left[voice] = (count - 1, max(0.0, total - audio_ms) if count > 1 else 0.0)

    @property
    def turns_left(self) -> int:
        return len(self._turns) - len(self._finished)

    def by_voice(self) -> Mapping[str, tuple[int, float]]:
        """Per voice: the turns left and their expected audio in ms."""
        return self._left


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
