"""A fair runner keeps the bodies of the messages it holds up to a byte budget, and lets go of
the rest (read again from the stream when they start)."""

from __future__ import annotations

from nats.aio.msg import Msg

from ttsjobs.messaging.held import HeldMessages


def _msg(size: int) -> Msg:
    return Msg(_client=None, subject="jobs", data=b"x" * size)  # type: ignore[arg-type]


def _anyone(key: str) -> bool:
    return True


def _load(key: str) -> tuple[int, float]:
    return 0, 0.0


def test_bodies_are_kept_up_to_the_budget_and_let_go_of_past_it():
    held: HeldMessages[str] = HeldMessages(keep_bytes=2_500)
    for user in ("alice", "alice", "bob"):
        held.push(user, _msg(1_000), f"{user}'s event")
    kept = [h.event is not None for h in held]
    assert kept.count(True) == 2 and kept.count(False) == 1
    assert all(h.msg.data == b"" for h in held if h.event is None)


def test_a_started_message_gives_its_bytes_back_to_the_budget():
    held: HeldMessages[str] = HeldMessages(keep_bytes=1_000)
    held.push("alice", _msg(1_000), "first")
    picked = held.pop(_anyone, load=_load)
    assert picked is not None and picked[1].event == "first"
    held.push("bob", _msg(1_000), "second")
    [second] = list(held)
    assert second.event == "second"


def test_a_message_put_back_counts_against_the_budget_again():
    held: HeldMessages[str] = HeldMessages(keep_bytes=1_000)
    held.push("alice", _msg(1_000), "first")
    picked = held.pop(_anyone, load=_load)
    assert picked is not None
    held.push_front("alice", picked[1])
    held.push("bob", _msg(1_000), "second")
    assert [h.event for h in held] == ["first", None]
