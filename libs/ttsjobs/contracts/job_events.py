"""Job events: CloudEvents 1.0 envelopes (structured JSON) with a typed payload in ``data``.

Events are named in the past tense. Each class knows its CloudEvents ``type`` and the last token
of its subject. The envelope ``id`` doubles as the JetStream ``Nats-Msg-Id``, so a producer that
derives ids from what happened (``<job_id>.completed``) gets de-duplication for free on retry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal, TypeAlias, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from ttsjobs.contracts import subjects
from ttsjobs.contracts.cloudevents import CloudEvent
from ttsjobs.contracts.job_request import JobType, MultiRoleRequest
from ttsjobs.contracts.strings import RECORDED, STORABLE
from ttsjobs.contracts.word_timing import TimingObject


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _JobData(_Payload):
    # Every event names the job's owner, so a consumer can route or filter it (a user's feed,
    # a webhook) without looking the job up.
    user_id: str = Field(description="the user who owns the job")


class JobCreatedData(_JobData):
    job_type: JobType = Field(
        default=JobType.multi_role_tts,
        description="single_tts: the request is a text's sentences as turns of one speaker",
    )
    request: MultiRoleRequest
    warnings: list[str] = Field(
        default_factory=list,
        description="what the job does other than asked, though it runs: speakers that casting"
        " gave one voice because the provider had no more for their wish",
    )


class JobStartedData(_JobData):
    worker: str = Field(description="which synthesis process took the job")
    attempt: int = Field(ge=1, description="JetStream delivery count of the JobCreated event")
    eta_ms: int | None = Field(
        default=None,
        ge=0,
        description="estimated time to run, from the engine's measured speed, before any turn",
    )


class JobProgressedData(_JobData):
    done: int = Field(ge=0)
    total: int = Field(ge=1)
    turn_index: int = Field(ge=0, description="the turn that just finished")
    cache_hit: bool = Field(default=False, description="the turn came from the segment cache")
    eta_ms: int | None = Field(
        default=None, ge=0, description="estimated time left, from this voice's measured speed"
    )


class TurnTiming(_Payload):
    index: int = Field(ge=0)
    speaker: str
    start_ms: int = Field(ge=0, description="where the turn starts in the audio")
    end_ms: int = Field(ge=0)
    synthesis_ms: int = Field(ge=0, description="wall time spent synthesizing the turn")
    synthesis_offset_ms: int = Field(
        default=0, ge=0, description="when the turn's synthesis began, from the job's start"
    )
    cache_hit: bool = Field(default=False, description="reused from the segment cache")


class AudioObject(_Payload):
    bucket: str
    object_key: str
    size_bytes: int = Field(ge=0)
    content_type: str
    format: str
    sample_rate: int


class CaptionFile(_Payload):
    format: Literal["vtt", "srt"]
    object_key: str
    content_type: str
    size_bytes: int = Field(ge=0)


class Chapter(_Payload):
    title: str
    start_ms: int = Field(ge=0, description="where the chapter starts in the audio")


class Loudness(_Payload):
    """The finished audio as measured (ITU-R BS.1770-4, EBU Tech 3342), before encoding."""

    preset: str = Field(description="the mastering asked for: none, podcast or audiobook")
    integrated_lufs: float | None = Field(description="programme loudness; null: silence")
    true_peak_dbtp: float | None = Field(description="4x oversampled peak; null: silence")
    loudness_range_lu: float = Field(ge=0, description="EBU loudness range")


class StemsArchive(_Payload):
    key: str = Field(description="the zip's object key, in the audio's bucket")
    size_bytes: int = Field(ge=0)


class JobResult(_Payload):
    duration_ms: int = Field(ge=0, description="length of the audio")
    latency_ms: int = Field(ge=0, description="from the job's start to its audio being stored")
    turn_timings: list[TurnTiming]
    audio: AudioObject
    captions: list[CaptionFile] = Field(
        default_factory=list,
        description="v1 only: caption files stored beside the audio. Since v2 none are stored; "
        "the captions are rendered on request from turn_timings",
    )
    cache_hits: int = Field(default=0, ge=0, description="turns reused from the segment cache")
    chapters: list[Chapter] = Field(
        default_factory=list,
        description="the chapters written into the audio, from the turns that start one",
    )
    stems: StemsArchive | None = Field(
        default=None,
        description="a zip of one FLAC track per speaker, each as long as the audio and silent"
        " where others speak, before mastering; none unless the job asked for stems",
    )
    loudness: Loudness | None = Field(
        default=None, description="how loud the audio is, as measured; none on older jobs"
    )
    timing: TimingObject | None = Field(
        default=None,
        description="when each word and character is spoken: an object of its own beside the"
        " audio (word captions are rendered from it); none when the engine gives no timing",
    )


class JobCompletedData(_JobData):
    result: JobResult


class JobFailedData(_JobData):
    reason: str = Field(description="why, in words a user can act on")
    retryable: bool = False


class JobCancelRequestedData(_JobData):
    requested_by: str


class JobCancelledData(_JobData):
    reason: str = "cancelled by the user"


class JobRenamedData(_JobData):
    title: Annotated[str, StringConstraints(max_length=200), STORABLE] | None = Field(
        description="the job's new title; null removes it"
    )


class CallbackAttempt(_Payload):
    attempt: int = Field(ge=1)
    url: str
    delivered: bool = Field(description="the receiver answered 2xx")
    status_code: int | None = Field(default=None, description="the receiver's HTTP status")
    error: str | None = Field(default=None, description="why it was not delivered")
    final: bool = Field(description="no further attempt will be made")
    at: datetime


class JobCallbackAttemptedData(_JobData):
    callback: CallbackAttempt


class JobExpiredData(_JobData):
    reason: str = "older than the retention period"


class JobDeletedData(_JobData):
    requested_by: str = Field(description="the user who deleted the job (its owner)")


class _Envelope(CloudEvent):
    """CloudEvents 1.0 attributes; ``subject`` is the job id."""

    stream: ClassVar[str] = subjects.STREAM
    subject: str = Field(description="the job id")

    @property
    def job_id(self) -> str:
        return self.subject

    def nats_subject(self) -> str:
        return subjects.job_event(self.subject, self.kind)


class JobCreated(_Envelope):
    """A client submitted a job; the gateway accepted it and it is pending."""

    kind: ClassVar[str] = "created"
    type: Literal["io.ttsjobs.job.created.v1"] = "io.ttsjobs.job.created.v1"
    data: JobCreatedData


class JobStarted(_Envelope):
    """A synthesis worker claimed the pending job; it is processing."""

    kind: ClassVar[str] = "started"
    type: Literal["io.ttsjobs.job.started.v1"] = "io.ttsjobs.job.started.v1"
    data: JobStartedData


class JobProgressed(_Envelope):
    """One more turn of the job has been synthesized."""

    kind: ClassVar[str] = "progressed"
    type: Literal["io.ttsjobs.job.progressed.v1"] = "io.ttsjobs.job.progressed.v1"
    data: JobProgressedData


class JobCompleted(_Envelope):
    """The job's audio is stored; the result says where and how long.

    v2: no caption files are stored (``result.captions`` is empty); the API renders captions
    from ``result.turn_timings``. v1 events, with their caption files, still read the same."""

    kind: ClassVar[str] = "completed"
    type: Literal["io.ttsjobs.job.completed.v2", "io.ttsjobs.job.completed.v1"] = (
        "io.ttsjobs.job.completed.v2"
    )
    data: JobCompletedData


class JobFailed(_Envelope):
    """The job ended without audio; the reason says why."""

    kind: ClassVar[str] = "failed"
    type: Literal["io.ttsjobs.job.failed.v1"] = "io.ttsjobs.job.failed.v1"
    data: JobFailedData


class JobCancelRequested(_Envelope):
    """Someone asked to stop a job that is already processing."""

    kind: ClassVar[str] = "cancel_requested"
    type: Literal["io.ttsjobs.job.cancel_requested.v1"] = "io.ttsjobs.job.cancel_requested.v1"
    data: JobCancelRequestedData


class JobCancelled(_Envelope):
    """The job ended on request, before it produced audio."""

    kind: ClassVar[str] = "cancelled"
    type: Literal["io.ttsjobs.job.cancelled.v1"] = "io.ttsjobs.job.cancelled.v1"
    data: JobCancelledData


class JobRenamed(_Envelope):
    """The job's owner gave it a new title; allowed in any status."""

    kind: ClassVar[str] = "renamed"
    type: Literal["io.ttsjobs.job.renamed.v1"] = "io.ttsjobs.job.renamed.v1"
    data: JobRenamedData


class JobCallbackAttempted(_Envelope):
    """The notifier tried to POST the job's final event to its callback_url."""

    kind: ClassVar[str] = "callback_attempted"
    type: Literal["io.ttsjobs.job.callback_attempted.v1"] = "io.ttsjobs.job.callback_attempted.v1"
    data: JobCallbackAttemptedData


class JobExpired(_Envelope):
    """The job passed the retention period: its audio is deleted and it leaves the history."""

    kind: ClassVar[str] = "expired"
    type: Literal["io.ttsjobs.job.expired.v1"] = "io.ttsjobs.job.expired.v1"
    data: JobExpiredData


class JobDeleted(_Envelope):
    """The owner deleted the finished job: it leaves the history, and its audio and captions
    go once no other job of the user refers to the same objects."""

    kind: ClassVar[str] = "deleted"
    type: Literal["io.ttsjobs.job.deleted.v1"] = "io.ttsjobs.job.deleted.v1"
    data: JobDeletedData


# Every job event, listed once: the union is what parse_event accepts and what the consumers
# are typed with, and EVENT_CLASSES (the schema export and the tests walk it) is read from it.
# The list is a static union because the type checker needs one: a union built from a tuple at
# run time would be Any to mypy.
_AnyJobEvent: TypeAlias = (
    JobCreated
    | JobStarted
    | JobProgressed
    | JobCompleted
    | JobFailed
    | JobCancelRequested
    | JobCancelled
    | JobRenamed
    | JobCallbackAttempted
    | JobExpired
    | JobDeleted
)

JobEvent = Annotated[_AnyJobEvent, Field(discriminator="type")]

EVENT_CLASSES: tuple[type[_Envelope], ...] = get_args(_AnyJobEvent)

_adapter: TypeAdapter[JobEvent] = TypeAdapter(JobEvent)


def parse_event(raw: bytes | str) -> JobEvent:
    """Decode one structured-mode CloudEvent; raises pydantic.ValidationError on bad input."""
    return _adapter.validate_json(raw, context=RECORDED)


def encode_event(event: CloudEvent) -> bytes:
    return event.model_dump_json().encode()
