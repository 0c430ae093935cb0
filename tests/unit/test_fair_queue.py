"""Round-robin over users, oldest first per user, skipping users at their limit."""

from __future__ import annotations

from ttsjobs.messaging.fair_queue import FairQueue


def test_users_take_turns_whatever_order_jobs_arrived_in():
    queue: FairQueue[str] = FairQueue()
    for i in range(5):
        queue.push("alice", f"a{i}")
    queue.push("bob", "b0")
    queue.push("carol", "c0")
    order = []
    while (picked := queue.pop(lambda user: True)) is not None:
        order.append(picked[1])
    assert order == ["a0", "b0", "c0", "a1", "a2", "a3", "a4"]


def test_a_user_at_the_limit_is_skipped_not_blocking_others():
    queue: FairQueue[str] = FairQueue()
    for i in range(3):
        queue.push("alice", f"a{i}")
    queue.push("bob", "b0")
    assert queue.pop(lambda user: user != "alice") == ("bob", "b0")
    assert queue.pop(lambda user: user != "alice") is None
    assert len(queue) == 3
    assert queue.drain() == ["a0", "a1", "a2"] and len(queue) == 0


def test_the_least_loaded_eligible_user_goes_first_whatever_the_rotation():
    queue: FairQueue[str] = FairQueue()
    for i in range(3):
        queue.push("alice", f"a{i}")
    queue.push("bob", "b0")
    load = {"alice": (2,), "bob": (0,)}
    assert queue.pop(lambda user: True, load=load.__getitem__) == ("bob", "b0")
    assert queue.pop(lambda user: True, load=load.__getitem__) == ("alice", "a0")
    assert len(queue) == 2


def test_among_equally_loaded_users_the_one_served_longest_ago_goes_first():
    queue: FairQueue[str] = FairQueue()
    queue.push("alice", "a1")
    queue.push("bob", "b0")  # arrived after alice's turn came round
    load = {"alice": (0, 5.0), "bob": (0, float("-inf"))}  # (running, last started)
    assert queue.pop(lambda user: True, load=load.__getitem__) == ("bob", "b0")
