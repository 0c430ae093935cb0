"""The JetStream topology, declared once and applied idempotently by every service at start.

One file-storage stream holds every job event under per-job subjects; a second one, without an
age limit, holds users and their API keys; a third, also without an age limit, holds the dead
letters (events a consumer gave up on) until an operator replays or removes them. Durable pull
consumers:
- ``synthesis``: JobCreated only, explicit ack, heartbeats while a job runs, bounded deliveries;
- ``projection``: every job event, one at a time so that the table sees them in stream order;
- ``projection-accounts``: every account event, likewise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import BadRequestError, NotFoundError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCreated
from ttsjobs.jobs.state import TERMINAL
from ttsjobs.messaging.dead_letters import ALL_DEAD_LETTERS, DEAD_LETTERS_STREAM

# Jobs are kept for 30 days; the stream keeps their events a day longer so that a projection
# rebuilt from the stream still sees every job the API can show.
RETENTION = timedelta(days=30)
STREAM_MARGIN = timedelta(days=1)
# Publishers retry with the same Nats-Msg-Id; two minutes covers any sane retry loop.
DUPLICATE_WINDOW = timedelta(minutes=2)

SYNTHESIS_DURABLE = "synthesis"
PROJECTION_DURABLE = "projection"
ACCOUNTS_PROJECTION_DURABLE = "projection-accounts"
NOTIFIER_DURABLE = "notifier"


def job_stream(retention: timedelta = RETENTION, replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=subjects.STREAM,
        description="ttsjobs job events, one subject per job and kind",
        subjects=[subjects.ALL_JOB_EVENTS],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=(retention + STREAM_MARGIN).total_seconds(),
        duplicate_window=DUPLICATE_WINDOW.total_seconds(),
        allow_direct=True,  # job history reads go to any replica without a consumer
        num_replicas=replicas,
    )


def accounts_stream(replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=subjects.ACCOUNTS_STREAM,
        description="ttsjobs users and API keys, one subject per user and kind",
        subjects=[subjects.ALL_ACCOUNT_EVENTS],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        # No max age: a user or a revoked key must never fall out of a rebuilt projection.
        duplicate_window=DUPLICATE_WINDOW.total_seconds(),
        num_replicas=replicas,
    )


def dead_letters_stream(replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=DEAD_LETTERS_STREAM,
        description="ttsjobs dead letters: events a consumer gave up on, with the error",
        subjects=[ALL_DEAD_LETTERS],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        # No max age: a letter waits for an operator. One per subject, i.e. per (consumer,
        # event): dead-lettering the same event again replaces its letter.
        max_msgs_per_subject=1,
        num_replicas=replicas,
    )


@dataclass(frozen=True)
class SynthesisConsumerPolicy:
    worker_slots: int = 2
    replicas: int = 1
    ack_wait_s: float = 30.0
    max_deliver: int = 5
    # Jobs a worker holds for fair scheduling (running and waiting its turn); None = its slots.
    prefetch: int | None = None
    # How many a worker may hold while it looks past a backlog for another user's job (the
    # consumer runner's fair window); None = the prefetch.
    fair_window: int | None = None

    @property
    def held_per_worker(self) -> int:
        prefetch = max(self.prefetch or self.worker_slots, self.worker_slots)
        return max(self.fair_window or prefetch, prefetch)


def synthesis_consumer(policy: SynthesisConsumerPolicy) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=SYNTHESIS_DURABLE,
        description="synthesis workers: JobCreated → audio",
        filter_subject=subjects.every_job(JobCreated.kind),
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        # Long jobs stay alive through in_progress() heartbeats; a dead worker's job comes back
        # after ack_wait and another worker resumes it.
        ack_wait=policy.ack_wait_s,
        max_deliver=policy.max_deliver,
        # Sized to what the workers hold: their slots, plus the jobs they keep waiting so that
        # the next free slot can go to the next user in turn rather than the next message, and
        # those they take while looking past one user's backlog for another user's job.
        max_ack_pending=policy.held_per_worker * policy.replicas,
    )


def accounts_projection_consumer(
    durable: str = ACCOUNTS_PROJECTION_DURABLE,
) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=durable,
        description="projection: users and API keys → PostgreSQL",
        filter_subject=subjects.ALL_ACCOUNT_EVENTS,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=30.0,
        max_deliver=-1,
        max_ack_pending=1,  # a revocation never overtakes the key it revokes
    )


def notifier_consumer() -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=NOTIFIER_DURABLE,
        description="webhook notifier: a job's final event → its callback_url",
        filter_subjects=[subjects.every_job(kind) for kind in TERMINAL],
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=60.0,
        max_deliver=-1,  # the notifier counts its attempts itself
        max_ack_pending=256,
    )


# Events the projection applies in one transaction at most (and so has unacked at once). Live,
# a batch is whatever arrived since the last one; after an outage, the larger the batch, the
# more of each job's events fold into one row write (a job's events lie close together in the
# stream), and the fewer statements and round trips (PostgreSQL's share of a catch-up fell to
# about a third of what it was at 500). A batch of parsed events is a few MB.
PROJECTION_BATCH = 5000


def projection_consumer(durable: str = PROJECTION_DURABLE) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=durable,
        description="projection: every job event → PostgreSQL",
        filter_subject=subjects.ALL_JOB_EVENTS,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=30.0,
        max_deliver=-1,  # the table must see every event; a broken database is waited out
        # One batch out at a time keeps stream order even across redeliveries.
        max_ack_pending=PROJECTION_BATCH,
    )


async def ensure_streams(
    js: JetStreamContext, *, retention: timedelta = RETENTION, replicas: int = 1
) -> None:
    """The job, accounts and dead-letter streams, created or brought to this config."""
    for config in (
        job_stream(retention, replicas),
        accounts_stream(replicas),
        dead_letters_stream(replicas),
    ):
        await _ensure_stream(js, config)


async def _ensure_stream(js: JetStreamContext, config: StreamConfig) -> None:
    assert config.name is not None  # every config above is named
    try:
        await js.stream_info(config.name)
    except NotFoundError:
        try:
            await js.add_stream(config)
            return
        except BadRequestError:  # another service created it first
            pass
    await js.update_stream(config)


async def ensure_consumer(
    js: JetStreamContext, config: ConsumerConfig, *, stream: str = subjects.STREAM
) -> None:
    """Create the durable consumer, or bring an existing one to this config.

    A CONSUMER.CREATE request without an action is create-or-update on the server (2.10+).
    """
    assert config.durable_name
    await js.add_consumer(stream, config.evolve(name=config.durable_name))
