"""The cyclic collector is paused for a block and afterwards is as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from ttsjobs.runtime.collector import cyclic_collector_paused


@pytest.fixture
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_running_again_after(collector_restored: None) -> None:
    gc.enable()
    with cyclic_collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_running_again_after_an_exception(collector_restored: None) -> None:
    gc.enable()
    with pytest.raises(RuntimeError), cyclic_collector_paused():
        raise RuntimeError("the replay failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_restored: None) -> None:
    gc.disable()
    with cyclic_collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_what_the_block_made_is_old_afterwards(collector_restored: None) -> None:
    gc.enable()
    with cyclic_collector_paused():
        kept = [{"job": [i]} for i in range(50_000)]
    assert gc.get_count()[0] < 1_000, "the young generation starts again from zero"
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert id(kept[0]) not in young and id(kept[-1]) not in young
    assert any(o is kept[0] for o in gc.get_objects(generation=2)), "kept, in the oldest"
