"""How long a request's audio will be, estimated from its text before anything is synthesised.

One estimate for every place that needs one: the gateway refuses a job whose audio would be
longer than ``RequestLimits.max_audio_seconds``, and the web app shows the same figure while a
dialogue is being written. It is pure and cheap (one pass over the text), and meant to come out
on the long side, as a slow reader would take, so that what it lets through does not turn out
far longer once synthesised (synthesis checks the real length against the same limit).

Characters a second at speed 1, spaces and punctuation included:

- Han: 4. espeak read 100,000 unpunctuated Han characters in 6.03 h (4.6 a second); Mandarin
  is spoken at about 4-5 syllables, one character each, a second.
- Hangul: 5 syllable blocks; kana: 7 (a kana is a mora, and Japanese runs at 7-8 morae).
- anything else (Latin, Cyrillic, Greek, digits, …): 14. English at 150 words a minute is
  about 15 characters a second, spaces included.

A turn lasts its text's time divided by its speed: the turn's own (SSML's ``<prosody rate>``),
kept within its voice's range as synthesis keeps it, else its speaker's. After each turn but
the last comes its ``pause_after_ms``, else the request's ``pause_ms``, else 300 ms: as
synthesis assembles it.
"""

from __future__ import annotations

import math
import re

from ttsjobs.contracts.casting_warnings import said_speed
from ttsjobs.contracts.job_request import FieldProblem, MultiRoleRequest, RequestLimits
from ttsjobs.contracts.voices import ProviderCatalogue

HAN_PER_S = 4.0
HANGUL_PER_S = 5.0
KANA_PER_S = 7.0
OTHER_PER_S = 14.0
DEFAULT_PAUSE_MS = 300  # synthesis' TTSJOBS_PAUSE_BETWEEN_TURNS_MS, unless a request sets one
LIMIT_SETTING = "TTSJOBS_LIMITS__MAX_AUDIO_SECONDS"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]")


def speaking_ms(text: str, *, speed: float = 1.0) -> float:
    """How long ``text`` takes to read aloud at ``speed`` (1.0 the voice's own pace)."""
    han = _HAN.subn("", text)[1]
    hangul = _HANGUL.subn("", text)[1]
    kana = _KANA.subn("", text)[1]
    other = len(text) - han - hangul - kana
    seconds = han / HAN_PER_S + hangul / HANGUL_PER_S + kana / KANA_PER_S + other / OTHER_PER_S
    return seconds * 1000 / speed


def estimated_audio_ms(
    request: MultiRoleRequest,
    *,
    default_pause_ms: int = DEFAULT_PAUSE_MS,
    catalogue: ProviderCatalogue | None = None,
) -> int:
    """The length of the audio ``request`` makes: its turns at their speeds, and the pauses
    between them.

    Args:
        request: a dialogue, cast or not; a speaker without an assignment reads at speed 1.
        default_pause_ms: the pause after a turn when neither it nor the request sets one.
        catalogue: the request's provider's voices, to keep a turn's own speed within its
            voice's range; without it (or for a voice it lacks) the speed asked is used.

    Returns:
        Milliseconds, rounded up.
    """
    pause_ms = request.pause_ms if request.pause_ms is not None else default_pause_ms
    last = len(request.turns) - 1
    total = 0.0
    for i, (turn, spoken_ms) in enumerate(
        zip(request.turns, turns_speaking_ms(request, catalogue), strict=True)
    ):
        total += spoken_ms
        if i < last:
            total += turn.pause_after_ms if turn.pause_after_ms is not None else pause_ms
    return math.ceil(total)


def turns_speaking_ms(
    request: MultiRoleRequest, catalogue: ProviderCatalogue | None = None
) -> list[float]:
    """How long each of ``request``'s turns takes to say, at the speed it will be said at."""
    spoken = []
    for turn in request.turns:
        role = request.voice_assignments.get(turn.speaker)
        voice = catalogue.voice(role.voice or "") if catalogue and role and turn.speed else None
        speed = said_speed(turn, role.speed if role is not None else 1.0, voice)
        spoken.append(speaking_ms(turn.text, speed=speed))
    return spoken


def duration_problems(
    request: MultiRoleRequest, limits: RequestLimits, catalogue: ProviderCatalogue | None = None
) -> list[FieldProblem]:
    """A problem on ``turns`` when the estimated audio is longer than the limit allows."""
    return over_limit(estimated_audio_ms(request, catalogue=catalogue), limits, field="turns")


def over_limit(estimated_ms: float, limits: RequestLimits, *, field: str) -> list[FieldProblem]:
    """A problem on ``field`` when ``estimated_ms`` of audio is longer than the limit allows."""
    estimated_s = estimated_ms / 1000
    if estimated_s <= limits.max_audio_seconds:
        return []
    return [
        FieldProblem(
            field,
            f"about {length_in_words(estimated_s)} of audio; at most "
            f"{length_in_words(limits.max_audio_seconds)} ({LIMIT_SETTING})",
        )
    ]


def length_in_words(seconds: float) -> str:
    """``10800`` as "3 hours", ``22320`` as "6.2 hours", ``90`` as "1.5 minutes"."""
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size:
            amount = f"{seconds / size:.1f}".removesuffix(".0")
            return f"{amount} {unit}{'' if amount == '1' else 's'}"
    amount = f"{seconds:.1f}".removesuffix(".0")
    return f"{amount} second{'' if amount == '1' else 's'}"
