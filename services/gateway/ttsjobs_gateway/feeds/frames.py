"""What the feeds send, built once however many feeds send it: an event's message and frame
(``Relayed``), a round's frames (``Frames``), several messages as one (``batch_message``)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from ttsjobs.contracts.job_events import JobEvent
from ttsjobs_gateway.feeds.frame_writes import text_frame


@dataclass(frozen=True)
class Relayed:
    seq: int
    event: JobEvent

    @functools.cached_property
    def message(self) -> str:
        """The feed message for this event, serialised once however many feeds send it: with a
        thousand subscribers to one job, encoding per feed was most of the gateway's work."""
        return json.dumps(
            {"type": "event", "seq": self.seq, "job_id": self.event.subject,
             "event": self.event.model_dump(mode="json")},
            separators=(",", ":"), ensure_ascii=False,
        )  # fmt: skip

    @functools.cached_property
    def frame(self) -> bytes:
        """The message as a WebSocket frame, likewise built once."""
        return text_frame(self.message)


class Frames:
    """What one round of the fan-out writes, built once for all the feeds that are sent the same
    events the same way."""

    def __init__(self) -> None:
        self._built: dict[tuple[object, ...], bytes] = {}

    def of(self, shown: list[Relayed], *, batch: bool) -> bytes:
        """One frame per event, or on a ``batch=1`` feed one frame for them all."""
        if len(shown) == 1:
            return shown[0].frame
        key = (batch, *(item.seq for item in shown))
        built = self._built.get(key)
        if built is None:
            built = (
                text_frame(batch_message(shown))
                if batch
                else b"".join(item.frame for item in shown)
            )
            self._built[key] = built
        return built


def batch_message(items: list[Relayed]) -> str:
    """Several feed messages as one (``batch=1``): each keeps its own form, already
    serialised, so the only work per subscriber is one send instead of one per event."""
    events = ",".join(item.message for item in items)
    return f'{{"type":"events","seq":{items[-1].seq},"events":[{events}]}}'
