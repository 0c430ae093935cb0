"""A job's progress events, published in order by a task of their own.

Each event waits for the stream's ack (an fsync on the server), so publishing them one after
another in the turns' path took tens of milliseconds when the turns came from the cache. Here
the turns hand their progress over and go on; the events are published in the order handed
over, while the job is put together, and the job's last event waits for them (``finish``).
Whatever has queued up by the time the sender is free goes out together, without waiting for
each ack in turn.

Progress is for people watching a job that takes a while. A job that ends within ``hold_s`` of
its start publishes none: its last event says all there is to say, and a quick job is three
events (created, started, completed) instead of one more per turn, for every subscriber and
the read model. A job that runs longer publishes every turn's event, those held back first.
"""

from __future__ import annotations

import asyncio

from ttsjobs.aio.queues import next_and_waiting
from ttsjobs.aio.tasks import stop_task
from ttsjobs.contracts.job_events import JobProgressed
from ttsjobs.messaging.publisher import PublishInOrder

DEFAULT_HOLD_S = 0.2


class ProgressSender:
    def __init__(self, publish: PublishInOrder, *, hold_s: float = DEFAULT_HOLD_S) -> None:
        self._publish = publish
        self._hold_s = hold_s
        self._queue: asyncio.Queue[JobProgressed] = asyncio.Queue()
        self._holding = True
        self._task = asyncio.create_task(self._send_in_order())

    def send(self, event: JobProgressed) -> None:
        if self._task.done():
            self._task.result()  # a publish failed: the job stops here, as it would have
        self._queue.put_nowait(event)

    async def finish(self) -> None:
        """Before the job's last event: every event handed over is stored, or, if the job
        ended within the hold, none is. Raises what a publish raised."""
        if self._holding:
            await stop_task(self._task)
            return
        join = asyncio.create_task(self._queue.join())
        await asyncio.wait([join, self._task], return_when=asyncio.FIRST_COMPLETED)
        if self._task.done():
            join.cancel()
            self._task.result()
        await join

    async def close(self) -> None:
        """Stop, whatever is left unsent (the job failed)."""
        await stop_task(self._task)

    async def _send_in_order(self) -> None:
        if self._hold_s > 0:
            await asyncio.sleep(self._hold_s)
        self._holding = False
        while True:
            events = await next_and_waiting(self._queue)
            await self._publish(events)
            for _ in events:
                self._queue.task_done()
