"""The bounded dict the services' caches keep their entries in."""

from __future__ import annotations

from ttsjobs.aio.newest import Newest


def test_storing_keeps_the_newest_and_forgets_the_oldest_first():
    kept: Newest[str, int] = Newest(2)
    kept.store("a", 1)
    kept.store("b", 2)
    kept.store("a", 3)  # stored again: now the newest
    kept.store("c", 4)
    assert dict(kept) == {"a": 3, "c": 4}


def test_assigning_changes_a_value_without_making_it_newer():
    kept: Newest[str, int] = Newest(2)
    kept.store("a", 1)
    kept.store("b", 2)
    kept["a"] = 5
    kept.store("c", 3)
    assert dict(kept) == {"b": 2, "c": 3}
