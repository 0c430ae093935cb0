"""How fast each voice speaks on this worker, measured as it goes, for progress estimates."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SpeedMeter:
    """Exponentially weighted milliseconds of synthesis per character, per provider and voice."""

    smoothing: float = 0.3
    _ms_per_char: dict[tuple[str, str], float] = field(default_factory=dict)

    def observe(self, provider: str, voice: str, *, chars: int, ms: float) -> None:
        if chars <= 0:
            return
        sample = ms / chars
        key = (provider, voice)
        previous = self._ms_per_char.get(key)
        self._ms_per_char[key] = (
            sample if previous is None else previous + self.smoothing * (sample - previous)
        )

    def estimate_ms(
        self, provider: str, work: list[tuple[str, int]], *, parallel: int
    ) -> int | None:
        """Time left for ``work`` (voice, characters) run ``parallel`` at a time; None if a voice
        has not been measured yet."""
        total = 0.0
        for voice, chars in work:
            rate = self._ms_per_char.get((provider, voice))
            if rate is None:
                return None
            total += rate * chars
        return round(total / max(1, parallel))
