"""What synthesis does with a JobCreated event.

Consumes: JobCreated (through the durable ``synthesis`` consumer).
Emits: JobStarted, JobProgressed per finished turn (none if the job ends within its first
``progress_hold_s``), then JobCompleted, or JobCancelled when a cancel request arrives mid-job;
the consumer runner turns a ``PermanentFailure`` (or exhausted deliveries) into JobFailed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Protocol

import structlog

from ttsjobs.aio.tasks import stop_task
from ttsjobs.callbacks import marked_for_callbacks
from ttsjobs.contracts.casting import voice_problems
from ttsjobs.contracts.job_events import (
    AudioObject,
    JobCreated,
    JobResult,
    StemsArchive,
    TurnTiming,
)
from ttsjobs.contracts.job_request import (
    CONTENT_TYPES,
    JobType,
    MultiRoleRequest,
    RequestLimits,
    request_problems,
)
from ttsjobs.jobs.chapters import chapters_of
from ttsjobs.jobs.deciding import JobHistory, StillChanging, decide
from ttsjobs.jobs.state import JobState, JobStatus, apply
from ttsjobs.messaging.consumer import PermanentFailure, RetryLater
from ttsjobs.messaging.publisher import Publish, PublishInOrder, one_at_a_time
from ttsjobs.observability import metrics, tracing
from ttsjobs.storage import audio_key, job_object_key
from ttsjobs_synthesis import chapter_tags, publishers, stems
from ttsjobs_synthesis.assembly import (
    AssemblyPlan,
    JobAssembly,
    StoredAudio,
    TurnPlan,
    TurnSink,
)
from ttsjobs_synthesis.engines import Engines
from ttsjobs_synthesis.eta import RemainingWork, SpeedMeter, time_left_ms
from ttsjobs_synthesis.live_segments import LiveSegments
from ttsjobs_synthesis.mastering import loudness_of
from ttsjobs_synthesis.progress_sender import DEFAULT_HOLD_S, ProgressSender
from ttsjobs_synthesis.segment_memory import SegmentMemory
from ttsjobs_synthesis.segments import ObjectStore
from ttsjobs_synthesis.turn_delivery import delivery
from ttsjobs_synthesis.turns import (
    CancelledByUser,
    CancelRequested,
    HandedBack,
    TurnContext,
    TurnOutcome,
    synthesize_turns,
)
from ttsjobs_synthesis.word_timing import TimedTurns, store_timing, timing_key

log = structlog.get_logger()


@dataclass(frozen=True)
class SynthesisPolicy:
    worker: str
    bucket: str
    pause_ms: int
    limits: RequestLimits
    # A job that ends sooner publishes no progress events (progress_sender.py).
    progress_hold_s: float = DEFAULT_HOLD_S
    # Where a job's audio is encoded before its upload (spool.py); None: the system's temp dir.
    spool_dir: Path | None = None
    # A job that ends sooner uploads no live segments (live_segments.py).
    live_hold_s: float = 0.0


class AudioStore(ObjectStore, Protocol):
    """The bucket: segments, and the jobs' audio uploaded from their spool files."""

    async def put_file(self, key: str, file: BinaryIO, size: int, content_type: str) -> None: ...


class CancelRequests(Protocol):
    """Whether a job's cancel request has been made (see cancel_watch.py)."""

    def mark(self) -> int: ...

    async def requested(self, job_id: str, *, since: int) -> bool: ...


class Slots(Protocol):
    async def acquire(
        self, user_id: str, job_id: str, *, first_delivery: bool = False
    ) -> str | None: ...

    async def refresh(self, key: str, job_id: str) -> None: ...

    async def release(self, key: str, job_id: str) -> None: ...


@dataclass
class SynthesisDeps:
    publish: Publish
    history: JobHistory  # decisions about the job: the claim
    engines: Engines
    store: AudioStore
    cancels: CancelRequests
    speed: SpeedMeter
    policy: SynthesisPolicy
    slots: Slots | None = None
    lease_refresh_s: float = 10.0
    # True once SIGTERM arrived: running jobs stop at their next turn boundary and go back.
    draining: Callable[[], bool] = lambda: False
    memory: SegmentMemory | None = None
    # Progress events, several at a time; None: one by one through ``publish``.
    publish_in_order: PublishInOrder | None = None


async def handle_job_created(
    event: JobCreated, *, attempt: int, deps: SynthesisDeps, seq: int | None = None
) -> None:
    """``seq``: the event's stream sequence, if known; a first delivery then claims the job
    without reading its history first."""
    _check(event.data.request, deps, event.data.job_type)
    if deps.slots is None:
        await _run_job(event, attempt=attempt, deps=deps, seq=seq)
        return
    user_id, job_id = event.data.user_id, event.subject
    lease = await deps.slots.acquire(user_id, job_id, first_delivery=attempt == 1)
    if lease is None:
        raise RetryLater(
            "the user already has as many jobs running as allowed", delay_s=1.0, hold=True
        )
    keep = asyncio.create_task(_keep_lease(deps.slots, lease, job_id, deps.lease_refresh_s))
    try:
        await _run_job(event, attempt=attempt, deps=deps, seq=seq)
    finally:
        await stop_task(keep)
        await deps.slots.release(lease, job_id)


async def _keep_lease(slots: Slots, lease: str, job_id: str, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        try:
            await slots.refresh(lease, job_id)
        except Exception:
            log.warning("lease.refresh_failed", lease=lease, exc_info=True)


async def _run_job(
    event: JobCreated, *, attempt: int, deps: SynthesisDeps, seq: int | None
) -> None:
    job_id, user_id = event.subject, event.data.user_id
    request = event.data.request
    mark = deps.cancels.mark()  # before the claim reads the history: nothing falls between
    work = RemainingWork.of(request)
    claimed = await _claim(
        event,
        attempt=attempt,
        deps=deps,
        seq=seq,
        eta_ms=time_left_ms(deps.speed, deps.engines, request.provider or "", work),
    )
    if claimed is None:
        return
    asked_before = claimed.cancel_requested_at is not None  # a resumed job's request

    async def cancel_requested(job_id: str) -> bool:
        return asked_before or await deps.cancels.requested(job_id, since=mark)

    began = time.perf_counter()
    progress = ProgressSender(
        deps.publish_in_order or one_at_a_time(deps.publish), hold_s=deps.policy.progress_hold_s
    )
    context = TurnContext(
        job_id,
        user_id,
        request,
        deps.engines,
        deps.store,
        progress,
        deps.speed,
        cancel_requested,
        deps.draining,
        attempt=attempt,
        memory=deps.memory,
        work=work,
    )
    attributes = {"ttsjobs.job_id": job_id, "ttsjobs.provider": request.provider,
                  "ttsjobs.turns": len(request.turns)}  # fmt: skip
    # Heard while it runs, once it has run for the hold.
    live = LiveSegments.for_job(event, deps.store, attempt=attempt, hold_s=deps.policy.live_hold_s)
    tracks = stems.StemWriter.of(request, directory=deps.policy.spool_dir)  # if asked for
    plan = _assembly_plan(request, deps.policy, *filter(None, [tracks]))
    assembly = JobAssembly(replace(plan, sinks=(*plan.sinks, live)))
    with tracing.tracer().start_as_current_span("synthesize job", attributes=attributes):
        try:
            timed = TimedTurns(assembly)  # each turn's word timing, on its way to the audio
            outcomes = await synthesize_turns(context, timed)
            turns_done = time.perf_counter()
            result = await _store(
                event, outcomes, assembly, began, deps, cancel_requested, tracks=tracks
            )
            result = await _with_timing(event, result, assembly, timed, deps)
            await live.drain()  # the live playlist is whole when the job's end is heard
            await progress.finish()  # progress events before the job's last one
        except CancelledByUser:
            # Stopped before JobCancelled: the projection then removes the job's live folder,
            # and no segment may land after that.
            await live.aclose()
            await progress.finish()
            cancelled = publishers.job_cancelled(job_id, user_id=user_id)
            await deps.publish(marked_for_callbacks(cancelled, request.callback_url))
            metrics.JOBS_CANCELLED.labels(request.provider).inc()
            log.info("job.cancelled_while_processing")
            return
        except HandedBack as err:
            # Immediately redelivered: the next worker finds the finished turns in the cache.
            await progress.finish()
            log.info("job.handed_back")
            raise RetryLater("this worker is shutting down", delay_s=0) from err
        finally:
            await assembly.aclose()  # the spool file goes, whatever happened
            if tracks is not None:
                tracks.close()
            await live.aclose()
            await progress.close()
        completed = publishers.job_completed(job_id, result, user_id=user_id)
        await deps.publish(marked_for_callbacks(completed, request.callback_url))
    elapsed_s = time.perf_counter() - began
    metrics.JOBS_COMPLETED.labels(request.provider).inc()
    metrics.JOB_DURATION.labels(request.provider).observe(elapsed_s)
    if result.duration_ms:
        metrics.REAL_TIME_FACTOR.labels(request.provider).observe(
            elapsed_s / (result.duration_ms / 1000)
        )
    log.info(
        "job.completed",
        duration_ms=result.duration_ms,
        latency_ms=result.latency_ms,
        turns_ms=round((turns_done - began) * 1000),
        cache_hits=result.cache_hits,
    )


def _check(
    request: MultiRoleRequest, deps: SynthesisDeps, job_type: JobType = JobType.multi_role_tts
) -> None:
    """Checks again what the gateway checked: events can come from any publisher."""
    problems = request_problems(request, deps.policy.limits, job_type)
    if problems:
        raise PermanentFailure("; ".join(str(p) for p in problems))
    catalogue = deps.engines.catalogue(request.provider or "")
    if catalogue is None:
        raise PermanentFailure(f"provider {request.provider!r} is not available on this worker")
    missing = [s for s in request.speakers() if s not in request.voice_assignments]
    if missing:
        raise PermanentFailure(f"no voice was cast for {', '.join(missing)}")
    problems = voice_problems(request, catalogue)
    if problems:
        raise PermanentFailure("; ".join(str(p) for p in problems))


async def _claim(
    event: JobCreated,
    *,
    attempt: int,
    deps: SynthesisDeps,
    seq: int | None,
    eta_ms: int | None = None,
) -> JobState | None:
    """Move the job from pending to processing, unless it was cancelled or has already ended;
    returns the state the job was claimed in (None: not to be run).

    JobStarted is stored only if nothing else happened to the job since we read it, so a
    cancel and a start that race cannot both win. On a first delivery the job has most likely
    only its JobCreated, so that is assumed rather than read: any other event (a cancel
    request, a rename) makes the append conflict, and the history is read then.
    """
    job_id, user_id = event.subject, event.data.user_id

    def choose(state: JobState | None):
        if state is None:
            raise RetryLater("job history not readable yet", delay_s=1.0)
        if state.is_terminal or state.status is JobStatus.processing:
            return None
        return publishers.job_started(
            job_id, user_id=user_id, worker=deps.policy.worker, attempt=attempt, eta_ms=eta_ms
        )

    try:
        assumed = apply(None, event, seq) if attempt == 1 and seq is not None else None
        decided = await decide(deps.history, job_id, choose, assume=assumed)
    except StillChanging:
        raise RetryLater("job kept changing while being claimed", delay_s=1.0) from None
    assert decided.before is not None
    if decided.event is None:
        if decided.before.is_terminal:
            log.info("job.skipped", status=decided.before.status.value)
            return None
        log.info("job.resumed", attempt=attempt)
        return decided.before
    waited_s = (decided.event.time - event.time).total_seconds()
    metrics.QUEUE_WAIT.labels(event.data.request.provider).observe(max(waited_s, 0.0))
    log.info("job.started", attempt=attempt, queue_wait_ms=round(waited_s * 1000), eta_ms=eta_ms)
    return decided.before


def _assembly_plan(
    request: MultiRoleRequest, policy: SynthesisPolicy, *sinks: TurnSink
) -> AssemblyPlan:
    default_pause = request.pause_ms if request.pause_ms is not None else policy.pause_ms
    turns = [
        TurnPlan(
            volume=delivery(turn, request.voice_assignments[turn.speaker]).volume,
            pause_after_ms=turn.pause_after_ms
            if turn.pause_after_ms is not None
            else default_pause,
        )
        for turn in request.turns
    ]
    return AssemblyPlan(
        turns,
        request.output_format,
        request.sample_rate,
        max_audio_seconds=policy.limits.max_audio_seconds,
        spool_dir=policy.spool_dir,
        bitrate_kbps=request.bitrate_kbps,
        sinks=sinks,
        mastering=request.mastering,
    )


async def _with_timing(
    event: JobCreated,
    result: JobResult,
    assembly: JobAssembly,
    timed: TimedTurns,
    deps: SynthesisDeps,
) -> JobResult:
    """The result with its word timing stored beside the audio, if the engine timed a turn."""
    data = event.data
    key = timing_key(data.user_id, event.time, event.subject)
    stored = await store_timing(
        deps.store, key, data.request.turns, data.job_type, assembly.spans, timed.timings
    )
    return result if stored is None else result.model_copy(update={"timing": stored})


async def _store(
    event: JobCreated,
    outcomes: list[TurnOutcome],
    assembly: JobAssembly,
    began: float,
    deps: SynthesisDeps,
    cancel_requested: CancelRequested,
    *,
    tracks: stems.StemWriter | None = None,
) -> JobResult:
    job_id, user_id, created = event.subject, event.data.user_id, event.time
    request = event.data.request
    fmt = request.output_format
    stored = await assembly.finish()
    chapters = chapters_of(request.turns, assembly.spans)
    if chapters and chapter_tags.writes_chapters(fmt.value):
        stored = StoredAudio(
            *await asyncio.to_thread(
                chapter_tags.mark,
                assembly.reader(),
                fmt.value,
                chapters,
                assembly.duration_ms,
                directory=deps.policy.spool_dir,
            )
        )
    key = audio_key(user_id, created, stored.sha256, fmt.value)
    packed = None if tracks is None else await asyncio.to_thread(tracks.archive)
    if await cancel_requested(job_id):
        raise CancelledByUser  # the last turn boundary: nothing has been stored for the job yet
    # A rerun's audio is already there: a HEAD instead of the PUT of megabytes. Only a job
    # whose every turn came from a cache can be a rerun; any other pays no extra round trip.
    rerun = all(outcome.cache_hit for outcome in outcomes)
    if not (rerun and await deps.store.exists(key)):
        await deps.store.put_file(key, assembly.reader(), stored.size_bytes, CONTENT_TYPES[fmt])
    stems_archive = None
    if packed is not None:  # the job's own (its speakers' names are in it), gone with the job
        stems_key = job_object_key(user_id, created, job_id, stems.EXTENSION)
        await deps.store.put_file(stems_key, packed.file, packed.size_bytes, stems.CONTENT_TYPE)
        stems_archive = StemsArchive(key=stems_key, size_bytes=packed.size_bytes)
    return JobResult(
        duration_ms=assembly.duration_ms,
        latency_ms=round((time.perf_counter() - began) * 1000),
        turn_timings=[
            TurnTiming(
                index=i,
                speaker=turn.speaker,
                start_ms=span.start_ms,
                end_ms=span.end_ms,
                synthesis_ms=outcome.synthesis_ms,
                synthesis_offset_ms=max(0, round((outcome.started_at - began) * 1000)),
                cache_hit=outcome.cache_hit,
            )
            for i, (turn, span, outcome) in enumerate(
                zip(request.turns, assembly.spans, outcomes, strict=True)
            )
        ],
        audio=AudioObject(
            bucket=deps.policy.bucket,
            object_key=key,
            size_bytes=stored.size_bytes,
            content_type=CONTENT_TYPES[fmt],
            format=fmt.value,
            sample_rate=assembly.rate,
        ),
        cache_hits=sum(o.cache_hit for o in outcomes),
        chapters=chapters,
        stems=stems_archive,
        loudness=loudness_of(request.mastering, assembly.loudness),
    )
