"""A POST rides through a NATS election: its NATS calls are repeated while NATS is unavailable,
until the request's deadline, and a repeat never mistakes the request's own earlier write (its
answer lost) for someone else's. A fake bucket loses answers the way an election does."""

from __future__ import annotations

import time

import pytest
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError

from tests.unit.test_idempotency_lease import LEASE_S, FakeClock, MemoryBucket
from ttsjobs.messaging.riding_through import deadline_in, riding_through
from ttsjobs_gateway.idempotency import IdempotencyKeys


class ElectingBucket(MemoryBucket):
    """The first ``lost`` creates and updates are stored, but their answer never comes; the
    ``refused`` calls after them find no responder (no leader yet) and store nothing."""

    def __init__(self, *, lost: int = 0, refused: int = 0) -> None:
        super().__init__()
        self.lost, self.refused, self.calls = lost, refused, 0

    def _electing(self) -> None:
        self.calls += 1
        if self.refused and not self.lost:
            self.refused -= 1
            raise NoRespondersError

    async def create(self, name: str, value: bytes) -> int:
        self._electing()
        revision = await super().create(name, value)
        if self.lost:
            self.lost -= 1
            raise NatsTimeoutError
        return revision

    async def update(self, name: str, value: bytes, last: int) -> int:
        self._electing()
        revision = await super().update(name, value, last)
        if self.lost:
            self.lost -= 1
            raise NatsTimeoutError
        return revision

    async def get(self, name: str):
        self._electing()
        return await super().get(name)


def _keys(bucket: MemoryBucket, clock: FakeClock) -> IdempotencyKeys:
    return IdempotencyKeys(bucket, clock=clock, attempt_s=0.01)  # type: ignore[arg-type]


async def test_a_claim_whose_answer_was_lost_is_recognised_as_its_own_on_the_repeat():
    bucket, clock = ElectingBucket(lost=1, refused=2), FakeClock()
    async with _keys(bucket, clock).claim(
        "u1", "k", "b", "job-a", deadline=deadline_in(5)
    ) as claim:
        assert (claim.job_id, claim.done) == ("job-a", False)
    assert bucket.calls >= 4, "the create was repeated through the refusals"


async def test_a_takeover_whose_answer_was_lost_is_its_own_on_the_repeat():
    bucket, clock = ElectingBucket(), FakeClock()
    keys = _keys(bucket, clock)
    async with keys.claim("u1", "k", "b", "job-a"):
        pass  # its holder died: no finish, no release
    clock.now += LEASE_S
    bucket.lost = 1  # the takeover's update is stored, its answer lost
    async with keys.claim("u1", "k", "b", "job-b", deadline=deadline_in(5)) as taken:
        assert (taken.job_id, taken.done) == ("job-a", False)


async def test_without_a_deadline_a_claim_is_tried_once():
    bucket, clock = ElectingBucket(refused=1), FakeClock()
    with pytest.raises(NoRespondersError):
        async with _keys(bucket, clock).claim("u1", "k", "b", "job-a"):
            pass
    assert bucket.calls == 1 and not bucket.entries


async def test_riding_through_gives_up_before_an_attempt_could_end_past_the_deadline():
    tries: list[float] = []

    async def never() -> None:
        tries.append(time.monotonic())
        raise NoRespondersError

    began = time.monotonic()
    with pytest.raises(NoRespondersError):
        await riding_through(never, deadline=began + 0.5, attempt_s=0.2, what="test")
    assert len(tries) >= 2
    assert tries[-1] + 0.2 <= began + 0.5 + 0.05, "no attempt started that could end past it"


async def test_riding_through_returns_what_the_first_answered_attempt_returns():
    answers = iter([NatsTimeoutError(), NoRespondersError(), 42])

    async def attempt() -> int:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert await riding_through(attempt, deadline=deadline_in(5), attempt_s=0.1, what="t") == 42
