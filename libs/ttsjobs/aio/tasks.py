"""Stopping a background task for certain.

On Python 3.11, ``asyncio.wait_for`` swallows a cancellation that arrives in the same loop turn
as the result it waits for (CPython gh-86296). nats-py waits for every request and publish ack
that way, so a task that loops over publishes can carry on after one ``cancel()``; whoever then
awaits it waits for ever. That stopped a synthesis job for good: a turn failed, and the job
waited on its progress publisher, which had swallowed the cancel and sat on an empty queue.
Our own waits use ``asyncio.timeout()``, which does not lose a cancel; nats-py's are out of
reach, hence this.
"""

from __future__ import annotations

import asyncio

RECANCEL_S = 0.05  # how long a cancelled task gets before it is cancelled again


async def stop_task(task: asyncio.Task[object]) -> None:
    """Cancel ``task`` until it has ended; what it raised is dropped (it was being stopped)."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=RECANCEL_S)
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved


async def stop_tasks(*tasks: asyncio.Task[object]) -> None:
    await asyncio.gather(*(stop_task(task) for task in tasks))
