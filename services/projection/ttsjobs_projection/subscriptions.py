"""The durable consumers the projection reads, declared here and applied by
``main.bootstrap()``: every job event, and every account event, each in stream order."""

from __future__ import annotations

from ttsjobs.contracts import subjects
from ttsjobs.messaging.topology import Subscription

# Events the projection applies in one transaction at most (and so has unacked at once). Live,
# a batch is whatever arrived since the last one; after an outage, the larger the batch, the
# more of each job's events fold into one row write (a job's events lie close together in the
# stream), and the fewer statements and round trips (PostgreSQL's share of a catch-up fell to
# about a third of what it was at 500). A batch of parsed events is a few MB.
PROJECTION_BATCH = 5000

JOB_EVENTS_SUBSCRIPTION = Subscription(
    durable="projection",
    service="projection",
    description="projection: every job event → PostgreSQL",
    filter_subjects=(subjects.ALL_JOB_EVENTS,),
    max_deliver=-1,  # the table must see every event; a broken database is waited out
    # One batch out at a time keeps stream order even across redeliveries.
    max_ack_pending=PROJECTION_BATCH,
)

ACCOUNT_EVENTS_SUBSCRIPTION = Subscription(
    durable="projection-accounts",
    service="projection",
    description="projection: users and API keys → PostgreSQL",
    stream=subjects.ACCOUNTS_STREAM,
    filter_subjects=(subjects.ALL_ACCOUNT_EVENTS,),
    max_deliver=-1,
    max_ack_pending=1,  # a revocation never overtakes the key it revokes
)
