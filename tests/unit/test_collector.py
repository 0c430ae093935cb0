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
