"""What synthesis does with a JobCreated event.

Consumes: JobCreated (through the durable ``synthesis`` consumer).
Emits: JobStarted, JobProgressed per finished turn, then JobCompleted; the consumer runner turns
a ``PermanentFailure`` (or exhausted deliveries) into JobFailed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import structlog

from ttsjobs.contracts.job_events import AudioObject, JobCreated, JobResult, TurnTiming
from ttsjobs.contracts.job_request import (
    CONTENT_TYPES,
    MultiRoleRequest,
    RequestLimits,
    request_problems,
)
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs.messaging.consumer import PermanentFailure, RetryLater
from ttsjobs.messaging.publisher import ConcurrencyConflict, Publish
from ttsjobs.storage import audio_object_key
from ttsjobs_synthesis import audio, publishers
from ttsjobs_synthesis.providers.base import Provider, Speech, SynthesisRejected, UnknownVoice

log = structlog.get_logger()

ReadState = Callable[[str], Awaitable[JobState | None]]
StoreAudio = Callable[[str, bytes, str], Awaitable[None]]


@dataclass(frozen=True)
class SynthesisPolicy:
    worker: str
    bucket: str
    pause_ms: int
    limits: RequestLimits


async def handle_job_created(
    event: JobCreated,
    *,
    attempt: int,
    publish: Publish,
    read_state: ReadState,
    providers: Mapping[str, Provider],
    store_audio: StoreAudio,
    policy: SynthesisPolicy,
) -> None:
    job_id = event.subject
    request = event.data.request
    provider = _checked_provider(request, providers, policy.limits)
    if not await _claim(
        job_id, attempt=attempt, publish=publish, read_state=read_state, policy=policy
    ):
        return
    began = time.perf_counter()
    speeches, synthesis_ms = await _synthesize_turns(job_id, request, provider, publish)
    samples, rate, spans = audio.join_turns(speeches, pause_ms=policy.pause_ms)
    encoded = await asyncio.to_thread(audio.encode, samples, rate, request.output_format)
    key = audio_object_key(job_id, request.output_format.value)
    content_type = CONTENT_TYPES[request.output_format]
    await store_audio(key, encoded, content_type)
    result = JobResult(
        duration_ms=round(len(samples) * 1000 / rate),
        latency_ms=round((time.perf_counter() - began) * 1000),
        turn_timings=[
            TurnTiming(
                index=i,
                speaker=turn.speaker,
                start_ms=span.start_ms,
                end_ms=span.end_ms,
                synthesis_ms=synthesis_ms[i],
            )
            for i, (turn, span) in enumerate(zip(request.turns, spans, strict=True))
        ],
        audio=AudioObject(
            bucket=policy.bucket,
            object_key=key,
            size_bytes=len(encoded),
            content_type=content_type,
            format=request.output_format.value,
            sample_rate=rate,
        ),
    )
    await publish(publishers.job_completed(job_id, result))
    log.info("job.completed", duration_ms=result.duration_ms, latency_ms=result.latency_ms)


def _checked_provider(
    request: MultiRoleRequest, providers: Mapping[str, Provider], limits: RequestLimits
) -> Provider:
    """Checks again what the gateway checked: events can come from any publisher."""
    problems = request_problems(request, limits)
    if problems:
        raise PermanentFailure("; ".join(str(p) for p in problems))
    provider = providers.get(request.provider)
    if provider is None:
        raise PermanentFailure(f"provider {request.provider!r} is not available on this worker")
    catalogue = provider.catalogue()
    for speaker, assignment in request.voice_assignments.items():
        if not catalogue.knows_voice(assignment.voice):
            raise PermanentFailure(
                f"voice {assignment.voice!r} of speaker {speaker!r} is not a {provider.name} voice"
            )
    return provider


async def _claim(
    job_id: str, *, attempt: int, publish: Publish, read_state: ReadState, policy: SynthesisPolicy
) -> bool:
    """Move the job from pending to processing, unless it was cancelled or has already ended.

    JobStarted is stored only if nothing else happened to the job since we read it, so a
    cancel and a start that race cannot both win.
    """
    for _ in range(5):
        state = await read_state(job_id)
        if state is None:
            raise RetryLater("job history not readable yet", delay_s=1.0)
        if state.is_terminal:
            log.info("job.skipped", status=state.status.value)
            return False
        if state.status is JobStatus.processing:
            log.info("job.resumed", attempt=attempt)
            return True
        try:
            started = publishers.job_started(job_id, worker=policy.worker, attempt=attempt)
            await publish(started, expected_last_seq=state.last_event_seq)
        except ConcurrencyConflict:
            continue
        log.info("job.started", attempt=attempt)
        return True
    raise RetryLater("job kept changing while being claimed", delay_s=1.0)


async def _synthesize_turns(
    job_id: str, request: MultiRoleRequest, provider: Provider, publish: Publish
) -> tuple[list[Speech], list[int]]:
    speeches: list[Speech] = []
    timings: list[int] = []
    total = len(request.turns)
    for i, turn in enumerate(request.turns):
        assignment = request.voice_assignments[turn.speaker]
        t0 = time.perf_counter()
        try:
            speech = await asyncio.to_thread(
                provider.synthesize, turn.text, assignment.voice, speed=assignment.speed
            )
        except (UnknownVoice, SynthesisRejected) as err:
            raise PermanentFailure(f"turn {i + 1} ({turn.speaker}): {err}") from err
        timings.append(round((time.perf_counter() - t0) * 1000))
        speeches.append(speech)
        await publish(publishers.job_progressed(job_id, done=i + 1, total=total, turn_index=i))
        log.info("job.progressed", done=i + 1, total=total, synthesis_ms=timings[-1])
    return speeches, timings
