"""The streams and the KV buckets that every process of a service shares, made once before the
services start: by ``ttsjobs setup`` (compose's and Kubernetes' one-shot job) and by the cluster
stack. Each service still makes what it needs at start, but on a new cluster a request for a
stream or bucket that another client is still creating at 3 replicas gets no answer (it has no
leader yet), so processes started together and racing to create them would time out."""

from __future__ import annotations

from datetime import timedelta

from nats.js import JetStreamContext


async def create_shared_state(js: JetStreamContext, *, retention: timedelta, replicas: int) -> None:
    from ttsjobs.messaging.catalogue import catalogue_bucket
    from ttsjobs.messaging.topology import ensure_streams
    from ttsjobs.messaging.user_slots import user_slots_bucket
    from ttsjobs_gateway.idempotency import idempotency_bucket
    from ttsjobs_synthesis.config import Settings as SynthesisSettings

    await ensure_streams(js, retention=retention, replicas=replicas)
    await idempotency_bucket(js, replicas=replicas)
    await catalogue_bucket(js, replicas=replicas)
    lease_ttl_s = SynthesisSettings().user_lease_ttl_s
    await user_slots_bucket(js, lease_ttl_s=lease_ttl_s, replicas=replicas)
