"""Cancel requests as they are published, so that a turn boundary costs no round trip.

A job's cancel request reaches its worker one of two ways:
- made before the worker claimed the job (a resumed job): the claim read the history, and the
  state it read says so (``cancel_requested_at``);
- made after: this subscription, registered with the server before any claim, sees it.

The subscription misses what is published while the connection is down. So a check remembers
the connection's reconnect count from the claim, and if the connection has been re-established
since, it asks the stream (one direct get) instead of trusting what was seen.
"""

from __future__ import annotations

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ttsjobs.aio.newest import Newest
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCancelRequested

# Job ids remembered; far more than can run at once, so an id is never dropped while its job runs.
REMEMBERED = 10_000


class CancelWatch:
    def __init__(self, nc: Client, js: JetStreamContext) -> None:
        self._nc = nc
        self._js = js
        self._seen: Newest[str, None] = Newest(REMEMBERED)
        self._sub: Subscription | None = None

    async def start(self) -> None:
        self._sub = await self._nc.subscribe(
            subjects.every_job(JobCancelRequested.kind), cb=self._on_request
        )
        await self._nc.flush()  # registered with the server before the first claim

    async def stop(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()

    def mark(self) -> int:
        """Taken when a job is claimed; later checks trust the watch only if it still holds."""
        return int(self._nc.stats["reconnects"])

    async def requested(self, job_id: str, *, since: int) -> bool:
        if job_id in self._seen:
            return True
        if self.mark() == since:
            return False  # connected throughout: a request would have been seen
        try:
            await self._js.get_last_msg(
                subjects.STREAM, subjects.job_event(job_id, JobCancelRequested.kind), direct=True
            )
        except NotFoundError:
            return False
        return True

    async def _on_request(self, msg: Msg) -> None:
        job_id = msg.subject.split(".")[-2]
        self._seen.store(job_id, None)
