"""A POST that rides through a gateway's death or a NATS election: sent again with the same
Idempotency-Key while its answer never came (a connection error or timeout), was a 502, 503 or
504, or was the 409 of the key still in flight elsewhere, until a deadline. The key makes this
safe: the gateway answers a repeat with the job the first try made, never a second one.

``post_retrying`` for AsyncClient (and the drills), ``post_retrying_blocking`` for Client;
both follow one ``Retrying``, which decides from each outcome whether and when to try again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

HEADER = "Idempotency-Key"
IN_FLIGHT = "urn:ttsjobs:problem:idempotency-key-in-use"
# A proxy (or the front before two gateways) answers these when the gateway behind it is gone.
RETRIED_STATUSES = frozenset({502, 503, 504})
# The answer never came, or came cut off: the request may or may not have been acted on.
RETRIED_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
FIRST_BACKOFF_S = 0.5
LONGEST_BACKOFF_S = 2.0

Outcome = httpx.Response | httpx.TransportError


def _in_flight(response: httpx.Response) -> bool:
    if response.status_code != 409:
        return False
    try:
        problem = response.json()
    except ValueError:
        return False
    return isinstance(problem, dict) and problem.get("type") == IN_FLIGHT


def retryable(outcome: Outcome) -> bool:
    if isinstance(outcome, httpx.Response):
        return outcome.status_code in RETRIED_STATUSES or _in_flight(outcome)
    return isinstance(outcome, RETRIED_ERRORS)


def _retry_after(response: httpx.Response) -> float | None:
    """The answer's Retry-After in seconds (an HTTP date is not honoured: nothing here sends
    one, and the backoff stands in)."""
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None


class Retrying:
    """The waits of one POST: Retry-After when the answer gives one, else a backoff from
    FIRST_BACKOFF_S doubling up to LONGEST_BACKOFF_S; no try is started past the deadline."""

    def __init__(self, deadline_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._deadline = clock() + deadline_s
        self._backoff = FIRST_BACKOFF_S
        self.tries = 0

    def wait_before_next(self, outcome: Outcome) -> float | None:
        """Seconds to wait before trying again, or None: this outcome is the answer."""
        self.tries += 1
        if not retryable(outcome):
            return None
        wait = self._backoff
        self._backoff = min(self._backoff * 2, LONGEST_BACKOFF_S)
        if isinstance(outcome, httpx.Response) and (after := _retry_after(outcome)) is not None:
            wait = after
        return wait if self._clock() + wait < self._deadline else None


def _keyed(headers: Mapping[str, str] | None, key: str) -> dict[str, str]:
    return {**(headers or {}), HEADER: key}


def _answer(outcome: Outcome) -> httpx.Response:
    if isinstance(outcome, httpx.Response):
        return outcome
    raise outcome


async def post_retrying(
    client: httpx.AsyncClient,
    path: str,
    *,
    key: str,
    json: Any = None,
    content: bytes | None = None,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    deadline_s: float = 30,
) -> httpx.Response:
    """The last answer to POST ``path``, retried as the module says; raises the last transport
    error if no answer ever came."""
    retrying = Retrying(deadline_s)
    while True:
        outcome: Outcome
        try:
            outcome = await client.post(path, json=json, content=content, params=params,
                                        headers=_keyed(headers, key))  # fmt: skip
        except httpx.TransportError as err:
            outcome = err
        wait = retrying.wait_before_next(outcome)
        if wait is None:
            return _answer(outcome)
        await asyncio.sleep(wait)


def post_retrying_blocking(
    client: httpx.Client,
    path: str,
    *,
    key: str,
    json: Any = None,
    content: bytes | None = None,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    deadline_s: float = 30,
    waiting: Callable[[Outcome, float], None] | None = None,
) -> httpx.Response:
    """``post_retrying`` for a blocking client; ``waiting`` hears of each wait (what was
    answered, for how long) so that a person is not left staring at nothing."""
    retrying = Retrying(deadline_s)
    while True:
        outcome: Outcome
        try:
            outcome = client.post(path, json=json, content=content, params=params,
                                  headers=_keyed(headers, key))  # fmt: skip
        except httpx.TransportError as err:
            outcome = err
        wait = retrying.wait_before_next(outcome)
        if wait is None:
            return _answer(outcome)
        if waiting is not None:
            waiting(outcome, wait)
        time.sleep(wait)
