"""Apply events one at a time with the projection's poison policy: what a rebuild's bulk write
or a catch-up batch could not take.

An event whose apply fails is tried again with growing waits; a database that is away is
waited out, anything else ``dead_letter_after`` times, then the event is dead-lettered under
the live consumer's name (so an event has one letter however many rebuilds meet it) and the
owner is told (``on_dead_letter``: mark the job's row). Nothing later is applied meanwhile, so
events keep their stream order, as in the live runners.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from ttsjobs.messaging.dead_letters import dead_letter
from ttsjobs_projection.poison import is_transient

log = structlog.get_logger()

E = TypeVar("E")

BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 5.0


@dataclass(frozen=True)
class PoisonPolicy(Generic[E]):
    js: JetStreamContext
    letters_as: str  # the live consumer's name, which the letters carry
    dead_letter_after: int  # tries of a failing event; 0 = never give up
    on_dead_letter: Callable[[E, Msg, str], Awaitable[None]] | None = None


async def apply_each(
    items: list[tuple[E, int, Msg]],
    apply: Callable[[E, int], Awaitable[None]],
    policy: PoisonPolicy[E],
) -> int:
    """Apply (event, stream sequence, message) in order; returns how many were dead-lettered."""
    lettered = 0
    for event, seq, msg in items:
        error = await _apply_or_give_up(event, seq, apply, policy)
        if error is not None:
            await _store_letter(msg, error, policy)
            if policy.on_dead_letter is not None:
                try:
                    await policy.on_dead_letter(event, msg, error)
                except Exception:
                    log.exception("event.dead_letter_hook_failed", consumer=policy.letters_as)
            lettered += 1
    return lettered


async def letter_undecodable(msg: Msg, error: str, policy: PoisonPolicy[E]) -> None:
    """A message that is none of the family's events: never applicable, so never retried."""
    log.error("event.undecodable", subject=msg.subject, error=error[:500])
    await _store_letter(msg, f"undecodable: {error}", policy)


async def _apply_or_give_up(
    event: E, seq: int, apply: Callable[[E, int], Awaitable[None]], policy: PoisonPolicy[E]
) -> str | None:
    """None once applied; the error to letter once given up."""
    failures = 0
    while True:
        try:
            await apply(event, seq)
            return None
        except Exception as err:
            failures += 1
            error = f"{type(err).__name__}: {err}"
            poison = policy.dead_letter_after > 0 and not is_transient(err)
            if poison and failures >= policy.dead_letter_after:
                return f"gave up after {failures} attempts: {error}"
            delay = min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** (failures - 1))
            log.warning("event.failed_will_retry", seq=seq, error=error[:300], retry_in_s=delay)
            await asyncio.sleep(delay)


async def _store_letter(msg: Msg, error: str, policy: PoisonPolicy[E]) -> None:
    """Until the dead-letter stream takes it: an event must not pass untraced."""
    while True:
        if await dead_letter(policy.js, msg, consumer=policy.letters_as, error=error):
            return
        await asyncio.sleep(BACKOFF_MAX_S)
