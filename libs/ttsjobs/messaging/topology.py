"""The JetStream topology: the streams, declared here, and the machinery that applies them and the
services' durable consumers idempotently at every start.

One file-storage stream holds every job event under per-job subjects; a second one, without an
age limit, holds users and their API keys; a third, also without an age limit, holds the dead
letters (events a consumer gave up on) until an operator replays or removes them.

A durable consumer is declared by the service that reads it, as a ``Subscription`` in its own
package (``ttsjobs_<service>/subscriptions.py``), and passed to ``ensure_consumer`` by its
``bootstrap()``; the schema export and the tests read the same declarations. This module names
no service: libs/ stands below them.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, replace
from datetime import timedelta

from nats.errors import TimeoutError as NatsTimeoutError
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
from ttsjobs.messaging.dead_letters import ALL_DEAD_LETTERS, DEAD_LETTERS_STREAM

# Jobs are kept for 30 days; the stream keeps their events a day longer so that a projection
# rebuilt from the stream still sees every job the API can show.
RETENTION = timedelta(days=30)
STREAM_MARGIN = timedelta(days=1)
# Publishers retry with the same Nats-Msg-Id; two minutes covers any sane retry loop.
DUPLICATE_WINDOW = timedelta(minutes=2)


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
class Subscription:
    """One durable pull consumer, as the service that reads it declares it.

    The runners ack each message themselves (explicit ack) and every consumer starts at the
    stream's first event, so a new one reads the history too; a service states the rest.
    """

    durable: str
    service: str  # who reads it (a service may read through several durables)
    description: str
    filter_subjects: tuple[str, ...]
    stream: str = subjects.STREAM
    # Unacked this long, a message is delivered again (a worker heartbeats a long one).
    ack_wait_s: float = 30.0
    # Deliveries before the server gives up on a message; -1 = never (the service decides).
    max_deliver: int = -1
    # Messages out and unacked at once, across the service's replicas.
    max_ack_pending: int = 1000
    ack_policy: AckPolicy = AckPolicy.EXPLICIT
    deliver_policy: DeliverPolicy = DeliverPolicy.ALL

    @property
    def address(self) -> tuple[str, str]:
        """(stream, durable): how the probes and the backlog metric name it."""
        return (self.stream, self.durable)

    def named(self, durable: str) -> Subscription:
        """The same consumer under another durable name (a rebuild fills a new table beside
        the live one from its own position in the stream)."""
        return replace(self, durable=durable)

    def reads(self, subject: str) -> bool:
        """Whether a message on this concrete subject passes the filter."""
        return any(_matches(pattern, subject) for pattern in self.filter_subjects)

    def consumer_config(self) -> ConsumerConfig:
        # One subject goes in filter_subject, as before filter_subjects existed: an existing
        # consumer is then updated to exactly the config it already has.
        one = len(self.filter_subjects) == 1
        return ConsumerConfig(
            durable_name=self.durable,
            description=self.description,
            filter_subject=self.filter_subjects[0] if one else None,
            filter_subjects=None if one else list(self.filter_subjects),
            deliver_policy=self.deliver_policy,
            ack_policy=self.ack_policy,
            ack_wait=self.ack_wait_s,
            max_deliver=self.max_deliver,
            max_ack_pending=self.max_ack_pending,
        )


def _matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: ``*`` is one token, a final ``>`` one or more."""
    wanted, tokens = pattern.split("."), subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(tokens) > index
        if index >= len(tokens) or token not in ("*", tokens[index]):
            return False
    return len(wanted) == len(tokens)


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


# On a new cluster, a stream that another client is still creating at 3 replicas answers
# nothing until it has a leader (seconds): such a request is asked again, within this bound.
LEADERLESS_S = 60.0


async def _ensure_stream(js: JetStreamContext, config: StreamConfig) -> None:
    deadline = time.monotonic() + LEADERLESS_S
    while True:
        try:
            await _ensure_stream_once(js, config)
            return
        except (NatsTimeoutError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def _ensure_stream_once(js: JetStreamContext, config: StreamConfig) -> None:
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


async def ensure_consumer(js: JetStreamContext, subscription: Subscription) -> None:
    """Create the durable consumer, or bring an existing one to this declaration.

    A CONSUMER.CREATE request without an action is create-or-update on the server (2.10+).
    """
    config = subscription.consumer_config()
    await js.add_consumer(subscription.stream, config.evolve(name=subscription.durable))
