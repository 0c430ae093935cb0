"""What a feed guards without servers: progress only moves forward on one socket, whatever
order the attempts' reports reach the stream in; ``after=`` is a stream sequence or a 4400;
a revoked key ends the feed even if the gateway missed the revocation event."""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace

import pytest

from ttsjobs_gateway.auth import Caller
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.entrypoints.ws_jobs import BadQuery, _Feed, after_param
from ttsjobs_gateway.feeds.progress import ProgressFilter
from ttsjobs_synthesis import publishers as synth


def _progressed(job: str, done: int, *, attempt: int = 1):
    return synth.job_progressed(job, user_id="u1", done=done, total=6, turn_index=done - 1,
                                attempt=attempt)  # fmt: skip


def test_a_resumed_attempt_never_takes_progress_back():
    feed = ProgressFilter()
    first = [feed.passes(_progressed("j", done)) for done in (1, 2, 3, 4)]
    # Attempt 2 reports its cached turns again from the first, then goes on.
    second = [feed.passes(_progressed("j", done, attempt=2)) for done in (1, 2, 3, 4, 5, 6)]
    assert first == [True] * 4
    assert second == [False, False, False, False, True, True]


def test_jobs_are_filtered_each_on_its_own():
    feed = ProgressFilter()
    assert feed.passes(_progressed("a", 4))
    assert feed.passes(_progressed("b", 1))
    assert not feed.passes(_progressed("a", 2))


def test_a_snapshot_sets_where_progress_stands():
    feed = ProgressFilter()
    feed.seen("j", 3)
    assert [feed.passes(_progressed("j", d)) for d in (2, 3, 4)] == [False, False, True]


def test_other_events_always_pass_and_a_final_one_forgets_the_job():
    feed = ProgressFilter()
    assert feed.passes(_progressed("j", 5))
    assert feed.passes(synth.job_started("j", user_id="u1", worker="w", attempt=2))
    assert feed.passes(synth.job_failed("j", "no", user_id="u1"))
    assert feed._done == {}, "a user's feed must not remember every job it ever saw"


@pytest.mark.parametrize("raw", ["-5", "1e20", "+3", "3.0", "", " 7", "١٢", "9" * 21])
def test_after_must_be_a_stream_sequence(raw):
    with pytest.raises(BadQuery, match="after="):
        after_param(SimpleNamespace(query_params={"after": raw}))


@pytest.mark.parametrize(("raw", "seq"), [(None, None), ("0", 0), ("42", 42)])
def test_a_valid_after_is_its_number(raw, seq):
    query = {} if raw is None else {"after": raw}
    assert after_param(SimpleNamespace(query_params=query)) == seq


class MissedRevocation:
    """Keys whose revocation event never arrives: only the periodic look-up can see it."""

    cache_s = 0.05

    def __init__(self, valid_lookups: int) -> None:
        self.left = valid_lookups

    @contextlib.contextmanager
    def revoked(self, key_id):
        yield asyncio.Event()  # never set

    async def still_valid(self, key):
        self.left -= 1
        return self.left >= 0


async def test_a_feed_looks_its_key_up_again_and_ends_once_it_is_revoked():
    keys = MissedRevocation(valid_lookups=3)
    feed = _Feed(None, Caller("u1", "k1"), "key", keys=keys, settings=Settings())
    await asyncio.wait_for(feed._until_key_revoked(), timeout=2)
    assert keys.left == -1, "three look-ups found it valid, the fourth revoked"
