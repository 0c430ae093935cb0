"""A job's engine slots go to its earliest turn waiting, whatever order the turns asked in, so
the job renders front to back; a turn cancelled while waiting, or just as it was given a slot,
never keeps one."""

from __future__ import annotations

import asyncio

from ttsjobs_synthesis.turn_order import TurnOrderGate


async def _ran_in(gate: TurnOrderGate, asking: list[int]) -> list[int]:
    ran: list[int] = []
    release = asyncio.Event()

    async def turn(index: int) -> None:
        async with gate.slot(index):
            ran.append(index)
            await release.wait()
            release.clear()

    tasks = []
    for index in asking:
        tasks.append(asyncio.create_task(turn(index)))
        await asyncio.sleep(0)  # each asks before the next
    while len(ran) < len(asking):
        await asyncio.sleep(0)
        release.set()
    await asyncio.gather(*tasks)
    return ran


async def test_a_free_slot_goes_to_the_earliest_turn_waiting():
    ran = await _ran_in(TurnOrderGate(1), [5, 3, 9, 0, 7, 1])
    assert ran == [5, 0, 1, 3, 7, 9], "the first asked runs at once; then lowest index first"


async def test_a_cancelled_waiter_never_keeps_a_slot():
    gate = TurnOrderGate(1)
    held = asyncio.Event()
    done = asyncio.Event()

    async def holder() -> None:
        async with gate.slot(0):
            held.set()
            await done.wait()

    async def waiter(index: int) -> None:
        async with gate.slot(index):
            pass

    first = asyncio.create_task(holder())
    await held.wait()
    cancelled = asyncio.create_task(waiter(1))
    later = asyncio.create_task(waiter(2))
    await asyncio.sleep(0)
    cancelled.cancel()
    done.set()
    await asyncio.wait_for(later, 1)
    await first
    # Given a slot in the same step it was cancelled: the slot passes on.
    async with gate.slot(3):
        racing = asyncio.create_task(waiter(4))
        await asyncio.sleep(0)
    racing.cancel()
    await asyncio.gather(racing, return_exceptions=True)
    await asyncio.wait_for(waiter(5), 1)
