"""What the gateway holds open while it runs, opened in the lifespan and closed in reverse."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from fastapi import Request
from minio import Minio
from nats.aio.client import Client
from nats.js import JetStreamContext

from ttsjobs.jobs.deciding import JobHistory
from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs_gateway.auth import ApiKeys
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.feeds import EventRelay
from ttsjobs_gateway.idempotency import IdempotencyKeys
from ttsjobs_gateway.limits import SubmissionRate


@dataclass
class GatewayState:
    settings: Settings
    nc: Client
    js: JetStreamContext
    history: JobHistory
    pool: asyncpg.Pool
    s3: Minio
    catalogue: CatalogueView
    relay: EventRelay
    idempotency: IdempotencyKeys
    rate: SubmissionRate
    keys: ApiKeys


async def gateway_state(request: Request) -> GatewayState:
    # async: FastAPI runs a plain ``def`` dependency in its thread pool, a thread handoff on
    # every request for one attribute read.
    return request.app.state.gateway
