"""The durable ``synthesis`` consumer: JobCreated in, handler called, JobFailed when it gives up."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Mapping

from minio import Minio
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from ttsjobs.contracts.job_events import JobCreated, JobEvent
from ttsjobs.jobs.history import current_state
from ttsjobs.messaging.consumer import ConsumerRunner, PermanentFailure, RunnerOptions
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import SYNTHESIS_DURABLE
from ttsjobs_synthesis import publishers
from ttsjobs_synthesis.handlers import SynthesisPolicy, handle_job_created
from ttsjobs_synthesis.providers.base import Provider


def build_runner(
    js: JetStreamContext,
    s3: Minio,
    providers: Mapping[str, Provider],
    policy: SynthesisPolicy,
    options: RunnerOptions,
) -> ConsumerRunner:
    publish = EventPublisher(js)

    async def read_state(job_id: str):
        return await current_state(js, job_id)

    async def store_audio(key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            s3.put_object, policy.bucket, key, io.BytesIO(data), len(data), content_type
        )

    async def on_message(event: JobEvent, msg: Msg) -> None:
        if not isinstance(event, JobCreated):
            raise PermanentFailure(f"synthesis does not handle {event.type}")
        await handle_job_created(
            event,
            attempt=msg.metadata.num_delivered,
            publish=publish,
            read_state=read_state,
            providers=providers,
            store_audio=store_audio,
            policy=policy,
        )

    async def on_give_up(event: JobEvent, reason: str) -> None:
        await publish(publishers.job_failed(event.subject, reason))

    return ConsumerRunner(js, SYNTHESIS_DURABLE, on_message, on_give_up=on_give_up, options=options)
