"""The live job cache: what the gateway knows of jobs from the tap and from its own appends.

One consumer of the tap (job_tap.py) keeps three things current, for the reads (reads/):
- the stream watch: whether a row can be vouched for without asking the stream;
- the states of the jobs this gateway accepted, folded forward event by event;
- the jobs lately deleted, here or on another gateway, before the table knows.
The gateway's own appends reach it through ``noting()``, which wraps the publisher its job
histories append with: the moment the stream acknowledges one, the watch knows the job moved.
"""

from __future__ import annotations

from nats.js.api import PubAck

from ttsjobs.contracts.cloudevents import CloudEvent
from ttsjobs.contracts.job_events import JobDeleted
from ttsjobs.jobs.state import JobState
from ttsjobs.messaging.publisher import Publish
from ttsjobs_gateway.live.deleted_jobs import DeletedJobs
from ttsjobs_gateway.live.job_tap import Tapped
from ttsjobs_gateway.live.recent_jobs import KEPT, MAX_TEXT_CHARS, RecentJobs
from ttsjobs_gateway.live.stream_watch import REMEMBERED, Link, StreamWatch, always_up


class LiveJobs:
    def __init__(
        self,
        *,
        link: Link = always_up,
        kept: int = KEPT,
        max_text_chars: int = MAX_TEXT_CHARS,
        remembered: int = REMEMBERED,
    ) -> None:
        self.watch = StreamWatch(link=link, remembered=remembered)
        self._recent = RecentJobs(self.watch, kept=kept, max_text_chars=max_text_chars)
        self._deleted = DeletedJobs()

    def tapped(self, item: Tapped) -> None:
        self.watch.saw(item.job_id, item.seq, pending=item.pending)
        if item.kind == JobDeleted.kind:
            self._deleted.add(item.job_id)  # gone from reads before the table knows
        if self._recent.wants(item.job_id, item.seq):
            self._recent.saw(item.event, item.seq, item.job_id)

    def noting(self, publish: Publish) -> Publish:
        """``publish``, noting each job event it stores as this gateway's own append."""

        async def publish_noted(
            event: CloudEvent, *, expected_last_seq: int | None = None
        ) -> PubAck:
            ack = await publish(event, expected_last_seq=expected_last_seq)
            self.watch.appended(event.subject, ack.seq)
            return ack

        return publish_noted

    def accepted(self, state: JobState) -> None:
        """The state a POST of this gateway came back with."""
        self._recent.accepted(state)

    def deleted(self, job_id: str) -> None:
        """A DELETE of this gateway deleted the job."""
        self._deleted.add(job_id)

    def is_deleted(self, job_id: str) -> bool:
        return job_id in self._deleted

    def state(self, job_id: str) -> JobState | None:
        """The state of a job this gateway accepted, while the watch vouches for it."""
        return self._recent.state(job_id)

    def saw_past(self, row: JobState) -> bool:
        """Whether an event of the row's job past it was seen or appended here: the row is
        older than the job, finished or not (a rename moves a finished job too)."""
        return self.watch.last_seen(row.id) > row.last_event_seq

    def vouches_for(self, row: JobState) -> bool:
        """Whether the stream holds no event of the row's job past it, as far as seen."""
        return self.watch.vouches_for(row)
