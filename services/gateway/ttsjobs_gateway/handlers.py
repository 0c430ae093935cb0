"""What the gateway does: accept a job (what it does to a job that exists, cancel, delete or
rename it, is in job_changes.py; reading one is reads/current.py).

Emits: JobCreated (POST).

An error answer means "not done": a POST or DELETE that NATS does not confirm within the
gateway's request timeout answers 503 (NotConfirmed), and the gateway's connection does not
keep an unconfirmed publish to send once NATS is back (see ttsjobs.messaging.connect).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import structlog
from pydantic import ValidationError

from ttsjobs.callbacks import allowed
from ttsjobs.contracts.casting import Casting, cast, cast_provider
from ttsjobs.contracts.duration import duration_problems
from ttsjobs.contracts.job_events import JobCreated
from ttsjobs.contracts.job_request import (
    FieldProblem,
    JobType,
    MultiRoleRequest,
    request_problems,
    size_problems,
)
from ttsjobs.contracts.single import SingleRequest, expand, single_problems, single_problems_of
from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs.jobs.deciding import JobHistory, decide
from ttsjobs.jobs.state import JobState
from ttsjobs.lexicons.span_phonemes import refused_phoneme_warnings
from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs.messaging.publisher import NATS_UNAVAILABLE
from ttsjobs.messaging.riding_through import deadline_in, riding_through
from ttsjobs.observability import metrics
from ttsjobs_gateway import publishers
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.errors import (
    InvalidRequest,
    KeyedJobDeleted,
    NotConfirmed,
    ProvidersUnavailable,
    StoreUnavailable,
    TooManyRequests,
    validation_problems,
)
from ttsjobs_gateway.idempotency import Claim, IdempotencyKeys, body_hash
from ttsjobs_gateway.lexicon_snapshot import with_snapshot
from ttsjobs_gateway.lexicon_store import LexiconStore
from ttsjobs_gateway.limits import SubmissionRate
from ttsjobs_gateway.offload import dialogue_size, sized
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.saved_voices import (
    SavedVoices,
    single_with_saved_voice,
    with_saved_voices,
)

log = structlog.get_logger()

T = TypeVar("T")


def cast_request(request: MultiRoleRequest, providers: Mapping[str, ProviderCatalogue]) -> Casting:
    if not providers:
        raise ProvidersUnavailable("start a synthesis worker, then try again")
    casting = cast(request, providers)
    catalogue = providers.get(casting.request.provider or "")
    if casting.problems or catalogue is None:
        return casting
    # A turn's phonemes its voice cannot read are said as written (lexicons/span_phonemes.py).
    refused = refused_phoneme_warnings(casting.request, catalogue)
    return casting._replace(warnings=casting.warnings + refused) if refused else casting


def _catalogue_of(
    casting: Casting, providers: Mapping[str, ProviderCatalogue]
) -> ProviderCatalogue | None:
    """The voices of the provider the request was cast to (none when casting failed)."""
    return providers.get(casting.request.provider or "")


@contextlib.contextmanager
def confirmed(what: str) -> Iterator[None]:
    """NATS not answering becomes a 503 with Retry-After, not a 500."""
    try:
        yield
    except NATS_UNAVAILABLE as err:
        log.warning("nats.unconfirmed", what=what, error=type(err).__name__)
        raise NotConfirmed(
            f"NATS did not confirm the {what} in time; try again (with the same "
            "Idempotency-Key, a retry can never make a second job)"
        ) from err


async def submit_job(
    request: MultiRoleRequest,
    *,
    user_id: str,
    history: JobHistory,
    catalogue: CatalogueView,
    settings: Settings,
    idempotency: tuple[IdempotencyKeys, str] | None = None,
    rate: SubmissionRate | None = None,
    reads: JobReads | None = None,
    lexicons: LexiconStore | None = None,
    saved_voices: SavedVoices | None = None,
    job_type: JobType = JobType.multi_role_tts,
    warnings: Sequence[str] = (),
) -> JobState:
    """Validate, then publish JobCreated; returns once the stream has stored it.

    With an Idempotency-Key, a repeat of the same request returns the job the first one made
    (recognised by what the client sent, not by the cast). ``job_type`` and ``warnings`` are
    an SSML document's (one voice is a single_tts job; what it could not read, its warnings).
    """
    # Off the event loop unless small: casting and the estimate grow with the request.
    providers = dict(catalogue.providers)
    # A saved voice's name becomes its formula before casting: the job stores the formula.
    named = await with_saved_voices(request, user_id, saved_voices, providers)
    cast = await sized(dialogue_size(request), checked_job, named, providers, settings, job_type)
    cast_request = await _snapshot(cast.request, user_id, lexicons, providers)
    with confirmed("job"):
        return await _accept(
            cast_request, fingerprint=body_hash(request), job_type=job_type,
            user_id=user_id, history=history, settings=settings, idempotency=idempotency,
            rate=rate, reads=reads, warnings=[*warnings, *cast.warnings],
        )  # fmt: skip


def checked_job(
    submitted: MultiRoleRequest,
    providers: Mapping[str, ProviderCatalogue],
    settings: Settings,
    job_type: JobType = JobType.multi_role_tts,
) -> Casting:
    """The request as cast, or a 422 naming every problem. Its size comes first: nothing whose
    cost grows with the turns and speakers runs on a request that has too many of them."""
    if problems := size_problems(submitted, settings.limits, job_type):
        raise InvalidRequest(problems)
    casting = cast_request(submitted, providers)
    # Limits and unused voices are checked on what was sent: casting only fills in speakers.
    problems = request_problems(submitted, settings.limits, job_type) + casting.problems
    problems += _callback_problems(casting.request, settings)
    problems += duration_problems(
        casting.request, settings.limits, _catalogue_of(casting, providers)
    )
    if problems:
        raise InvalidRequest(problems)
    return casting


async def submit_single_job(
    single: SingleRequest,
    *,
    user_id: str,
    history: JobHistory,
    catalogue: CatalogueView,
    settings: Settings,
    idempotency: tuple[IdempotencyKeys, str] | None = None,
    rate: SubmissionRate | None = None,
    reads: JobReads | None = None,
    lexicons: LexiconStore | None = None,
    saved_voices: SavedVoices | None = None,
) -> JobState:
    """A long text for one voice, run as a one-speaker dialogue of its sentences."""
    # Off the event loop unless short: splitting 100,000 characters takes a while.
    providers = dict(catalogue.providers)
    named = await single_with_saved_voice(single, user_id, saved_voices, providers)
    cast = await sized(len(single.text), checked_single, named, providers, settings)
    cast_request = await _snapshot(cast.request, user_id, lexicons, providers)
    with confirmed("job"):
        return await _accept(
            cast_request, fingerprint=body_hash(single), job_type=JobType.single_tts,
            user_id=user_id, history=history, settings=settings, idempotency=idempotency,
            rate=rate, reads=reads, warnings=cast.warnings,
        )  # fmt: skip


def checked_single(
    single: SingleRequest, providers: Mapping[str, ProviderCatalogue], settings: Settings
) -> Casting:
    """The dialogue of the text's sentences as cast, or a 422. Problems are named as fields of
    what the client sent (``voice``, ``text``), not of the dialogue it became."""
    limits = settings.limits
    if problems := single_problems(single, limits):
        raise InvalidRequest(problems)  # before splitting a text that is far too long
    try:
        expanded = expand(single, limits)
    except ValidationError as err:  # what only the dialogue's model checks
        raise InvalidRequest(validation_problems(err.errors(include_url=False))) from None
    casting = cast_request(expanded, providers)
    problems = request_problems(expanded, limits, JobType.single_tts) + casting.problems
    problems += duration_problems(casting.request, limits, _catalogue_of(casting, providers))
    problems = single_problems_of(problems, expanded)
    problems += _callback_problems(casting.request, settings)
    if problems:
        raise InvalidRequest(problems)
    return casting


async def _snapshot(
    request: MultiRoleRequest,
    user_id: str,
    lexicons: LexiconStore | None,
    providers: Mapping[str, ProviderCatalogue],
) -> MultiRoleRequest:
    """The cast request with the entries of its lexicons that it uses (lexicon_snapshot)."""
    if not request.lexicons and request.lexicon_entries is None:
        return request  # no lexicons: nothing is read
    if lexicons is None:
        raise RuntimeError("a job names lexicons, and no lexicon store was given")
    catalogue = providers[cast_provider(request)]
    return await with_snapshot(request, user_id=user_id, store=lexicons, catalogue=catalogue)


def _callback_problems(request: MultiRoleRequest, settings: Settings) -> list[FieldProblem]:
    if request.callback_url is not None and not allowed(
        request.callback_url, settings.callback_allowlist
    ):
        return [
            FieldProblem("callback_url", "not under an allowed callback URL (the operator's list)")
        ]
    return []


async def _accept(
    request: MultiRoleRequest,
    *,
    fingerprint: str,
    job_type: JobType,
    user_id: str,
    history: JobHistory,
    settings: Settings,
    idempotency: tuple[IdempotencyKeys, str] | None,
    rate: SubmissionRate | None,
    reads: JobReads | None,
    warnings: list[str] | None = None,
) -> JobState:
    accept = _Acceptance(request=request, job_type=job_type, user_id=user_id, history=history,
                         settings=settings, rate=rate, reads=reads, warnings=warnings,
                         deadline=deadline_in(settings.nats_ride_through_s))  # fmt: skip
    if idempotency is None:
        return await accept.create(str(uuid.uuid4()), claim=None)
    keys, key = idempotency
    # The claim is renewed while this request runs, so a retry meanwhile gets a 409; if this
    # gateway dies, the claim lapses within seconds and the retry finishes the job.
    async with keys.claim(
        user_id, key, fingerprint, str(uuid.uuid4()), deadline=accept.deadline
    ) as claim:
        if not claim.done:
            return await accept.create(claim.job_id, claim=claim)
        existing = await accept.riding_through(
            lambda: history.state(claim.job_id), what="job history"
        )
        if existing is None:
            # Stored, and its events now fold to nothing: deleted (or expired). The same id
            # cannot be made again (its history is not empty), and a new one is not a repeat.
            raise KeyedJobDeleted(claim.job_id)
        # A repeat publishes nothing, so it costs nothing against the limits either.
        log.info("job.submission_repeated", job_id=claim.job_id)
        return existing


@dataclass(frozen=True)
class _Acceptance:
    """What accepting one request needs, once its job id is known."""

    request: MultiRoleRequest
    job_type: JobType
    user_id: str
    history: JobHistory
    settings: Settings
    rate: SubmissionRate | None
    reads: JobReads | None
    warnings: list[str] | None
    deadline: float  # time.monotonic(): NATS calls are repeated through an election until then

    async def riding_through(self, attempt: Callable[[], Awaitable[T]], *, what: str) -> T:
        return await riding_through(
            attempt, deadline=self.deadline, attempt_s=self.settings.nats_request_timeout_s,
            what=what,
        )  # fmt: skip

    async def create(self, job_id: str, *, claim: Claim | None) -> JobState:
        try:
            if self.rate is not None:
                self.rate.take(self.user_id)
            if self.reads is not None:
                await _check_pending_cap(self.reads, self.user_id, self.settings.max_pending_jobs)
        except TooManyRequests:
            if claim is not None:
                await claim.release()  # the retry after Retry-After is new
            raise
        event = publishers.job_created(
            self.request, user_id=self.user_id, job_id=job_id, job_type=self.job_type,
            warnings=self.warnings,
        )  # fmt: skip
        structlog.contextvars.bind_contextvars(job_id=job_id)
        try:
            # Safe to repeat: the same Nats-Msg-Id, stored only on the job's empty subject.
            state = await self.riding_through(
                lambda: _publish_created(event, self.history), what="job created"
            )
        except NATS_UNAVAILABLE:
            if claim is not None:
                await claim.unconfirmed()
            raise
        if claim is not None:
            await claim.finish()
        if self.reads is not None:
            self.reads.accepted(state)
        metrics.JOBS_CREATED.labels(self.request.provider).inc()
        log.info("job.submitted", job_type=self.job_type.value, provider=self.request.provider,
                 turns=len(self.request.turns), seq=state.last_event_seq)  # fmt: skip
        return state


async def _publish_created(event: JobCreated, history: JobHistory) -> JobState:
    # Stored only on an empty subject: a retry that takes over an Idempotency-Key re-publishes
    # the same job, and after JetStream's duplicate window has passed the Nats-Msg-Id no longer
    # drops it. The job's own history then says it exists already. A new id has no history,
    # so the first attempt appends without reading it.
    decided = await decide(
        history, event.subject, lambda state: event if state is None else None, assume_new=True
    )
    if decided.event is None:
        log.info("job.submission_repeated", job_id=event.subject)
    state = decided.after
    assert state is not None
    return state


async def _check_pending_cap(reads: JobReads, user_id: str, cap: int) -> None:
    # The table may lag by a few jobs; a cap is a guard rail, not an exact quota. So while the
    # database is down the cap is skipped: accepting work needs only NATS.
    try:
        pending = await reads.pending_count(user_id, cap=cap)
    except StoreUnavailable:
        log.warning("job.pending_cap_skipped", reason="store unavailable")
        return
    if pending >= cap:
        raise TooManyRequests(
            f"{pending} jobs are already waiting; at most {cap} may be pending",
            headers={"Retry-After": "10"},
        )
