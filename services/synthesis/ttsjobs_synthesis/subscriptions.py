"""The durable consumer synthesis reads, declared here and applied by ``main.bootstrap()``:
JobCreated only, explicit ack, heartbeats while a job runs, bounded deliveries, and as many
unacked as the workers hold."""

from __future__ import annotations

from dataclasses import dataclass

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCreated
from ttsjobs.messaging.topology import Subscription


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


def job_created_subscription(policy: SynthesisConsumerPolicy) -> Subscription:
    return Subscription(
        durable="synthesis",  # KEDA scales the workers on its backlog (deploy/k8s/synthesis.yaml)
        service="synthesis",
        description="synthesis workers: JobCreated → audio",
        filter_subjects=(subjects.every_job(JobCreated.kind),),
        # Long jobs stay alive through in_progress() heartbeats; a dead worker's job comes back
        # after ack_wait and another worker resumes it.
        ack_wait_s=policy.ack_wait_s,
        max_deliver=policy.max_deliver,
        # Sized to what the workers hold: their slots, plus the jobs they keep waiting so that
        # the next free slot can go to the next user in turn rather than the next message, and
        # those they take while looking past one user's backlog for another user's job.
        max_ack_pending=policy.held_per_worker * policy.replicas,
    )
