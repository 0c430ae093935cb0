"""The pending cap's count: the table is read whenever the count may be half the cap or more."""

from __future__ import annotations

from ttsjobs_gateway.reads.pending_counts import PendingCounts

USER = "u1"


class Table:
    def __init__(self, pending: int) -> None:
        self.pending = pending
        self.reads = 0

    async def count(self, user_id: str) -> int:
        self.reads += 1
        return self.pending


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_far_below_the_cap_a_fresh_count_and_the_jobs_accepted_since_stand_in_for_reads():
    table, clock = Table(3), Clock()
    counts = PendingCounts(table.count, clock=clock)
    assert await counts.count(USER, cap=100) == 3
    counts.accepted(USER)
    counts.accepted(USER)
    assert await counts.count(USER, cap=100) == 5
    assert table.reads == 1


async def test_a_count_older_than_a_second_is_read_again():
    table, clock = Table(3), Clock()
    counts = PendingCounts(table.count, clock=clock)
    await counts.count(USER, cap=100)
    table.pending = 1  # two started meanwhile
    clock.now += 1.0
    assert await counts.count(USER, cap=100) == 1
    assert table.reads == 2


async def test_from_half_the_cap_every_check_reads_the_table():
    table, clock = Table(1), Clock()
    counts = PendingCounts(table.count, clock=clock)
    assert await counts.count(USER, cap=4) == 1
    counts.accepted(USER)  # 2 of 4: the table decides from here
    table.pending = 4  # other gateways' jobs too
    assert await counts.count(USER, cap=4) == 4
    assert await counts.count(USER, cap=4) == 4
    assert table.reads == 3


async def test_a_cap_of_one_always_reads():
    table, clock = Table(0), Clock()
    counts = PendingCounts(table.count, clock=clock)
    for _ in range(3):
        await counts.count(USER, cap=1)
    assert table.reads == 3


async def test_each_user_has_a_count_of_their_own_and_few_are_kept():
    table, clock = Table(0), Clock()
    counts = PendingCounts(table.count, clock=clock, kept=2)
    for user in ("a", "b", "c"):
        await counts.count(user, cap=100)
    counts.accepted("a")  # forgotten: nothing to add to
    await counts.count("b", cap=100)
    assert table.reads == 3
    await counts.count("a", cap=100)
    assert table.reads == 4
