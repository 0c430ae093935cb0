"""A job's engine slots go in turn order, whatever order the turns asked in: a turn waits while
an earlier one is still on its way to the gate (its cache lookup), not while an earlier one came
from the cache (``skip``); a turn cancelled while waiting, or just as it was given a slot, never
keeps one."""

from __future__ import annotations

import asyncio

import pytest

from ttsjobs_synthesis.turn_order import TurnOrderGate


async def _ran_in(gate: TurnOrderGate, asking: list[int], *, skipped: tuple[int, ...] = ()):
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
        assert not ran or ran[0] == min(ran + asking), "nothing ran ahead of an earlier turn"
    for index in skipped:
        gate.skip(index)
    while len(ran) < len(asking):
        await asyncio.sleep(0)
        release.set()
    await asyncio.gather(*tasks)
    return ran


async def test_slots_go_in_turn_order_whatever_order_the_turns_asked_in():
    ran = await _ran_in(TurnOrderGate(1, 6), [5, 3, 2, 0, 4, 1])
    assert ran == [0, 1, 2, 3, 4, 5]


async def test_a_turn_from_the_cache_holds_back_no_later_turn():
    gate = TurnOrderGate(2, 4)
    ran = await _ran_in(gate, [3, 1], skipped=(0, 2))
    assert ran == [1, 3]


async def test_no_turn_starts_while_an_earlier_one_is_on_its_way():
    gate = TurnOrderGate(2, 3)
    started = asyncio.Event()

    async def turn(index: int) -> None:
        async with gate.slot(index):
            started.set()

    later = asyncio.create_task(turn(1))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.shield(started.wait()), 0.05)
    await turn(0)
    await asyncio.wait_for(later, 1)


async def test_a_cancelled_waiter_never_keeps_a_slot():
    gate = TurnOrderGate(1, 6)
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


async def test_a_turn_in_pieces_holds_every_slot_before_a_later_turn_gets_one():
    gate = TurnOrderGate(2, 3)
    gate.expect(0, 2)
    ran = await _ran_in(gate, [1, 0, 0, 2])
    assert ran[:2] == [0, 0]
    assert ran == [0, 0, 1, 2]
