"""A job's progress events, published in order by a task of their own.

Each event waits for the stream's ack (an fsync on the server), so publishing twenty of them
one after another in the turns' path took tens of milliseconds when the turns came from the
cache. Here the turns hand their progress over and go on; the events are published in the
order handed over, while the job is put together, and the job's last event waits for them
(``flush``), so the stream still holds every progress event before JobCompleted.
"""

from __future__ import annotations

import asyncio

from ttsjobs.contracts.job_events import JobProgressed
from ttsjobs.messaging.publisher import Publish
from ttsjobs.runtime.tasks import stop_task


class ProgressSender:
    def __init__(self, publish: Publish) -> None:
        self._publish = publish
        self._queue: asyncio.Queue[JobProgressed] = asyncio.Queue()
        self._task = asyncio.create_task(self._send_in_order())

    def send(self, event: JobProgressed) -> None:
        if self._task.done():
            self._task.result()  # a publish failed: the job stops here, as it would have
        self._queue.put_nowait(event)

    async def flush(self) -> None:
        """Return once every event handed over is stored; raises what a publish raised."""
        join = asyncio.create_task(self._queue.join())
        await asyncio.wait([join, self._task], return_when=asyncio.FIRST_COMPLETED)
        if self._task.done():
            join.cancel()
            self._task.result()
        await join

    async def close(self) -> None:
        """Stop, whatever is left unsent (the job failed or was handed back)."""
        await stop_task(self._task)

    async def _send_in_order(self) -> None:
        while True:
            event = await self._queue.get()
            await self._publish(event)
            self._queue.task_done()
