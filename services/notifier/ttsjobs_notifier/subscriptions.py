"""The durable consumer the notifier reads, declared here and applied by ``main.bootstrap()``:
every job's final event, a few hundred out at once while their webhooks are tried."""

from __future__ import annotations

from ttsjobs.contracts import subjects
from ttsjobs.jobs.state import TERMINAL
from ttsjobs.messaging.topology import Subscription

JOB_FINISHED_SUBSCRIPTION = Subscription(
    durable="notifier",
    service="notifier",
    description="webhook notifier: a job's final event → its callback_url",
    filter_subjects=tuple(subjects.every_job(kind) for kind in TERMINAL),
    ack_wait_s=60.0,
    max_deliver=-1,  # the notifier counts its attempts itself
    max_ack_pending=256,
)
