"""After a deletion's batch commits, the objects no job shows are removed, except those of a
user and day with a job the stream holds past the batch (the table has not got it yet); when
the stream cannot tell, every object is kept."""

from __future__ import annotations

from datetime import date

from ttsjobs_projection.deletions import Leftover, remove

DAY = date(2026, 12, 6)
MINE = Leftover("audio", "audio/2026-12-06/u1/a.wav", "u1", DAY)
THEIRS = Leftover("audio", "audio/2026-12-06/u2/b.wav", "u2", DAY)


class Store:
    def __init__(self, *, failing: str | None = None) -> None:
        self.removed: list[str] = []
        self.failing = failing

    async def __call__(self, bucket: str, key: str) -> None:
        if key == self.failing:
            raise OSError("S3 is not answering")
        self.removed.append(key)


async def test_an_object_whose_user_and_day_has_a_newer_job_is_kept():
    store = Store()

    async def created_after(seq: int):
        assert seq == 41
        return {("u1", DAY)}

    await remove(store, [MINE, THEIRS], created_after=created_after, after_seq=41)
    assert store.removed == [THEIRS.key]


async def test_nothing_is_removed_when_the_stream_cannot_tell():
    async def too_many(seq: int):
        return None

    async def unreachable(seq: int):
        raise TimeoutError

    for created_after in (too_many, unreachable):
        store = Store()
        await remove(store, [MINE, THEIRS], created_after=created_after, after_seq=1)
        assert store.removed == []


async def test_a_removal_that_fails_leaves_the_others_going():
    store = Store(failing=MINE.key)

    async def none_newer(seq: int):
        return set()

    await remove(store, [MINE, THEIRS], created_after=none_newer, after_seq=1)
    assert store.removed == [THEIRS.key]
