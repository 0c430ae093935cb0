"""stop_task: a task that shrugs off a cancel (as Python 3.11's wait_for can) is still stopped."""

from __future__ import annotations

import asyncio

from ttsjobs.aio.tasks import stop_task, stop_tasks


async def test_a_task_that_swallows_cancels_is_cancelled_until_it_ends():
    swallowed = 0

    async def stubborn():
        nonlocal swallowed
        while True:
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                if swallowed < 3:
                    swallowed += 1
                    continue
                raise

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    await asyncio.wait_for(stop_task(task), timeout=5)
    assert task.cancelled() and swallowed == 3


async def test_what_a_stopped_task_raised_is_dropped_and_finished_tasks_are_left_alone():
    async def fails():
        raise RuntimeError("broke while stopping")

    async def done():
        return 1

    failing, finished = asyncio.create_task(fails()), asyncio.create_task(done())
    await asyncio.sleep(0)
    await stop_tasks(failing, finished)
    assert isinstance(failing.exception(), RuntimeError)
    assert finished.result() == 1
