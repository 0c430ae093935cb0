"""Synthesize a job's turns: from the segment cache where possible, otherwise on the engine's
process pool, as many at once as the engine runs in parallel. Each finished turn is reported
as JobProgressed with an estimate of the time left, and handed to the job's assembly, which
writes the turns to disk in order (assembly.py); a turn keeps no samples once handed over. A
cancel request stops the job at the next turn boundary."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import structlog

from ttsjobs.contracts.casting import cast_provider, cast_voice
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.strings import nfc
from ttsjobs.lexicons.matching import EntryMatcher
from ttsjobs.messaging.consumer import PermanentFailure
from ttsjobs.observability import metrics, tracing
from ttsjobs_synthesis import publishers
from ttsjobs_synthesis.engines import Engines
from ttsjobs_synthesis.eta import RemainingWork, SpeedMeter, time_left_ms
from ttsjobs_synthesis.opening_turn import joined, opening_pieces
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation, for_turn
from ttsjobs_synthesis.progress_sender import ProgressSender
from ttsjobs_synthesis.providers.base import Speech, SynthesisRejected, UnknownVoice
from ttsjobs_synthesis.segment_memory import SegmentMemory
from ttsjobs_synthesis.segments import ObjectStore, decode_segment, encode_segment, segment_key
from ttsjobs_synthesis.turn_delivery import delivery, spans_as_synthesised
from ttsjobs_synthesis.turn_order import TurnOrderGate

log = structlog.get_logger()

CancelRequested = Callable[[str], Awaitable[bool]]


class CancelledByUser(Exception):
    """A JobCancelRequested event arrived; stop at this turn boundary."""


class HandedBack(Exception):
    """The worker is shutting down: stop at this turn boundary and let another worker resume
    the job from the turns already in the segment cache."""


class TurnSink(Protocol):
    """Where finished turns go, in any order (assembly.JobAssembly)."""

    async def wait_written(self, count: int) -> None: ...

    async def add(self, index: int, speech: Speech) -> None: ...


@dataclass(frozen=True)
class TurnOutcome:
    synthesis_ms: int
    cache_hit: bool
    started_at: float = 0.0  # perf_counter when its synthesis began


@dataclass
class TurnContext:
    job_id: str
    user_id: str
    request: MultiRoleRequest
    engines: Engines
    store: ObjectStore
    progress: ProgressSender  # the job's progress events, published in order
    speed: SpeedMeter
    cancel_requested: CancelRequested
    draining: Callable[[], bool] = lambda: False
    attempt: int = 1  # the delivery of the JobCreated this run serves, for progress ids
    memory: SegmentMemory | None = None  # decoded segments, in front of the bucket
    work: RemainingWork | None = None  # the job's turns left, for its ETA; None: all of them
    _lexicon: EntryMatcher | None = field(default=None, init=False, repr=False)

    @property
    def lexicon(self) -> EntryMatcher:
        """The job's lexicon entries, ready to find in each turn (built once per job)."""
        if self._lexicon is None:
            self._lexicon = EntryMatcher(self.request.lexicon_entries or [])
        return self._lexicon


def turns_ahead(parallel: int) -> int:
    """How far past the first turn not yet written a turn may start: enough to keep every
    engine process busy while one turn takes longer, few enough that the turns waiting for it
    hold little memory (a few seconds of audio each)."""
    return max(8, 4 * parallel)


async def synthesize_turns(ctx: TurnContext, sink: TurnSink) -> list[TurnOutcome]:
    request = ctx.request
    provider = cast_provider(request)  # handlers' _check refused a request without one
    parallel = ctx.engines.parallelism(provider)
    ahead = turns_ahead(parallel)
    finished: set[int] = set()
    total = len(request.turns)
    gate = TurnOrderGate(parallel, total)  # in turn order: the finished prefix grows first
    work = ctx.work if ctx.work is not None else RemainingWork.of(request)

    async def one(index: int) -> TurnOutcome:
        await sink.wait_written(index + 1 - ahead)
        outcome, speech = await _turn(ctx, index, gate)
        # No await from here to the hand-over: the counts and the order of the events agree.
        finished.add(index)
        work.finish(index)
        if not outcome.cache_hit:
            ctx.speed.observe(
                provider,
                cast_voice(request.voice_assignments[request.turns[index].speaker]),
                audio_ms=work.expected_audio_ms(index),
                ms=speech.synthesis_ms if speech.synthesis_ms is not None else outcome.synthesis_ms,
            )
        eta = time_left_ms(ctx.speed, ctx.engines, provider, work)
        ctx.progress.send(
            publishers.job_progressed(
                ctx.job_id,
                user_id=ctx.user_id,
                done=len(finished),
                total=total,
                turn_index=index,
                attempt=ctx.attempt,
                cache_hit=outcome.cache_hit,
                eta_ms=eta,
            )
        )
        log.info(
            "job.progressed",
            done=len(finished),
            total=total,
            turn=index,
            cache_hit=outcome.cache_hit,
            synthesis_ms=outcome.synthesis_ms,
            eta_ms=eta,
        )
        await sink.add(index, speech)
        return outcome

    tasks = [asyncio.create_task(one(i)) for i in range(total)]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def _turn(ctx: TurnContext, index: int, gate: TurnOrderGate) -> tuple[TurnOutcome, Speech]:
    request = ctx.request
    turn = request.turns[index]
    assignment = request.voice_assignments[turn.speaker]
    provider, voice_id = cast_provider(request), cast_voice(assignment)
    catalogue = ctx.engines.catalogue(provider)
    voice = catalogue.voice(voice_id) if catalogue else None
    if voice is None:
        raise PermanentFailure(f"voice {voice_id!r} is not a {provider} voice")
    t0 = time.perf_counter()
    text = nfc(turn.text)  # as synthesised, and as the key says; the input keeps what was sent
    said = delivery(turn, assignment, voice)
    pronunciation = for_turn(
        ctx.lexicon,
        text,
        assignment.reading,
        spoken_as=spans_as_synthesised(turn, provider, voice),
        language=said.language,
    )
    # The opening turn in pieces side by side, for the job's first audio (opening_turn.py).
    spans = _opening_spans(ctx, index, provider, text, pronunciation)
    # The key holds all that changes the sound: speed, pitch, and (in the pronunciation) the
    # turn's spans and language. Volume is applied after the cache, in the assembly.
    key = (
        segment_key(
            owner=ctx.user_id,
            provider=provider,
            voice=voice_id,
            speed=said.speed,
            pitch=said.pitch,
            text=text,
            sample_rate=voice.sample_rate,
            pronunciation=pronunciation.identity(),
            pieces=len(spans),
        )
        if ctx.engines.caches_segments(provider)
        else None
    )
    speech = await _cached(ctx, key) if key is not None else None
    if speech is not None:
        # A cached turn waits for no engine slot: its turn boundary is now.
        gate.skip(index)
        if await ctx.cancel_requested(ctx.job_id):
            raise CancelledByUser
        return TurnOutcome(_ms_since(t0), cache_hit=True, started_at=t0), speech
    said_by = _Saying(ctx, index, gate, provider, voice_id, said.speed, said.pitch)
    if len(spans) == 1:
        speech, t0 = await said_by.say(text, pronunciation)
    else:
        speech, t0 = await said_by.say_in_pieces(text, spans, pronunciation)
    synthesis_ms = _ms_since(t0)
    metrics.TURN_SYNTHESIS.labels(provider).observe(synthesis_ms / 1000)
    if key is not None:
        data, metadata = encode_segment(speech)
        await ctx.store.put(key, data, "audio/flac", metadata=metadata)
        if ctx.memory is not None:
            ctx.memory.put(key, speech)
    return TurnOutcome(synthesis_ms, cache_hit=False, started_at=t0), speech


def _opening_spans(
    ctx: TurnContext, index: int, provider: str, text: str, pronunciation: Pronunciation
) -> list[tuple[int, int]]:
    """Where the turn is cut (one span: said whole). Only the opening turn of an engine that
    runs several processes, and never through a span of markup (it is said as one)."""
    whole = [(0, len(text))]
    if index != 0 or not ctx.engines.caches_segments(provider):
        return whole
    spans = opening_pieces(text, ctx.engines.parallelism(provider))
    cuts = {start for start, _ in spans[1:]}
    if any(s.char_start < cut < s.char_end for s in pronunciation.spoken_as for cut in cuts):
        return whole
    return spans


@dataclass(frozen=True)
class _Saying:
    """One turn's engine calls: each holds an engine slot of the job's gate for the call only
    (storage round trips overlap other turns), and checks for a cancel as it starts."""

    ctx: TurnContext
    index: int
    gate: TurnOrderGate
    provider: str
    voice_id: str
    speed: float
    pitch: float

    async def say(self, text: str, pronunciation: Pronunciation) -> tuple[Speech, float]:
        """The speech, and when (perf_counter) its engine call began."""
        ctx = self.ctx
        async with self.gate.slot(self.index):
            # The turn boundary, checked once per turn: a cancel request that arrived while
            # earlier turns ran stops here.
            if await ctx.cancel_requested(ctx.job_id):
                raise CancelledByUser
            if ctx.draining():
                raise HandedBack
            t0 = time.perf_counter()
            attributes: dict[str, str | int] = {
                "ttsjobs.turn.index": self.index,
                "ttsjobs.provider": self.provider,
                "ttsjobs.voice": self.voice_id,
                "ttsjobs.turn.chars": len(text),
            }
            with tracing.tracer().start_as_current_span("synthesize turn", attributes=attributes):
                try:
                    speech = await ctx.engines.synthesize(
                        self.provider,
                        text,
                        self.voice_id,
                        speed=self.speed,
                        pitch=self.pitch,
                        pronunciation=pronunciation,
                    )
                except (UnknownVoice, SynthesisRejected) as err:
                    speaker = ctx.request.turns[self.index].speaker
                    raise PermanentFailure(f"turn {self.index + 1} ({speaker}): {err}") from err
        return speech, t0

    async def say_in_pieces(
        self, text: str, spans: list[tuple[int, int]], pronunciation: Pronunciation
    ) -> tuple[Speech, float]:
        self.gate.expect(self.index, len(spans))
        tasks = [
            asyncio.create_task(self.say(text[a:b], pronunciation.within(text, a, b)))
            for a, b in spans
        ]
        try:
            said = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return joined([speech for speech, _ in said], spans, text), min(t0 for _, t0 in said)


async def _cached(ctx: TurnContext, key: str) -> Speech | None:
    if ctx.memory is not None and (speech := ctx.memory.get(key)) is not None:
        return speech
    stored = await ctx.store.get_with_metadata(key)
    if stored is None:
        return None
    speech = decode_segment(*stored)
    if ctx.memory is not None:
        ctx.memory.put(key, speech)
    return speech


def _ms_since(t0: float) -> int:
    return round((time.perf_counter() - t0) * 1000)
