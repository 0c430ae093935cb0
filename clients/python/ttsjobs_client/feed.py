"""Where a job's WebSocket feed (``/api/v1/jobs/{id}/events``) stands, for Client and
AsyncClient alike: the URL to (re)connect to, resuming after the last event seen; what each
close means; how long to wait before the next try.

The gateway sends a snapshot first (unless resuming), then each event with its stream ``seq``,
and closes 1000 after the job's final event. Any other end (a gateway restarting, a proxy
timing out, the lifetime cap's 1001) is resumed with ``?after=<last seq>``: nothing is missed
and nothing comes twice.
"""

from __future__ import annotations

import json
import time
from typing import Any

from ttsjobs_client.errors import FeedRefused

FINISHED = frozenset({"completed", "failed", "cancelled"})
# Closes that reconnecting would only repeat: a bad query, a refused key, no such job.
REFUSED = frozenset({4400, 4401, 4404})
FIRST_BACKOFF_S = 0.25
LONGEST_BACKOFF_S = 2.0


def ws_url(base_url: str) -> str:
    return "ws" + base_url.removeprefix("http") if base_url.startswith("http") else base_url


class FeedCursor:
    """One wait on one job's feed, across as many connections as it takes."""

    def __init__(self, base_url: str, job_id: str) -> None:
        self._url = f"{ws_url(base_url.rstrip('/'))}/api/v1/jobs/{job_id}/events"
        self.after: int | None = None
        self._backoff = FIRST_BACKOFF_S

    @property
    def url(self) -> str:
        return self._url if self.after is None else f"{self._url}?after={self.after}"

    def take(self, raw: str | bytes) -> dict[str, Any] | None:
        """The message, or None for a ping; marks its ``seq`` as seen."""
        message: dict[str, Any] = json.loads(raw)
        if message.get("type") == "ping":
            return None
        self.after = message["seq"]
        self._backoff = FIRST_BACKOFF_S  # the connection works: the next loss starts afresh
        return message

    def finished(self, code: int | None, reason: str) -> bool:
        """After a connection ended with ``code`` (None: lost without a close): True when the
        job has ended; False to reconnect; FeedRefused when reconnecting cannot help."""
        if code == 1000:
            return True
        if code in REFUSED:
            raise FeedRefused(code, reason)
        return False

    def backoff(self) -> float:
        """Seconds before the next connection: doubling from FIRST_BACKOFF_S to LONGEST."""
        wait = self._backoff
        self._backoff = min(self._backoff * 2, LONGEST_BACKOFF_S)
        return wait


def seconds_left(deadline: float | None, longest: float) -> float:
    """Seconds to wait: ``longest``, or less to end at the deadline (TimeoutError once past)."""
    left = seconds_until(deadline)
    return longest if left is None else min(left, longest)


def seconds_until(deadline: float | None) -> float | None:
    """Seconds to the deadline, None without one; TimeoutError once past it."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the job did not end in time")
    return left
