"""The gateway's response bodies."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ttsjobs.contracts.job_events import CallbackAttempt, JobResult
from ttsjobs.contracts.job_request import JobType, MultiRoleRequest
from ttsjobs.contracts.single import SingleRequest, runs_as_text, single_of
from ttsjobs.contracts.strings import STORABLE
from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs.messaging.topology import RETENTION


class RenameRequest(BaseModel):
    """PATCH /api/v1/jobs/{id}: a new title, by the rules of a submitted job's title."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(max_length=200), STORABLE] | None = Field(
        description="the job's new title; null removes it", examples=["早安會議"]
    )


class Progress(BaseModel):
    done: int = Field(description="turns finished (sentences, in a single_tts job)")
    total: int = Field(description="turns in the job (sentences, in a single_tts job)")
    eta_ms: int | None = Field(
        default=None, description="estimated time left, from the voice's measured speed"
    )


class JobLinks(BaseModel):
    self: str
    download: str | None = None
    captions_vtt: str | None = None
    captions_srt: str | None = None
    chapters_vtt: str | None = Field(default=None, description="only when the job has chapters")
    chapters_json: str | None = Field(default=None, description="Podcasting 2.0 JSON chapters")
    stems: str | None = Field(default=None, description="only when the job asked for stems")
    captions_words: str | None = Field(
        default=None, description="word-level WebVTT (karaoke timestamps), where words are timed"
    )
    alignment: str | None = Field(
        default=None, description="each character's start and end (JSON), where words are timed"
    )


class JobView(BaseModel):
    id: str
    status: JobStatus
    job_type: str
    provider: str
    title: str | None
    input: MultiRoleRequest | None = Field(
        description="a multi-role job's request as submitted, voices as cast: POST it to"
        " /api/v1/jobs/tts/multi-role to run it again. null for a single_tts job made from a"
        " text, whose request is `single`: its text is served once, not again as a dialogue of"
        " its sentences. A single_tts job made from SSML has its turns here, with their markup,"
        " and no `single`: its text alone would not run it again"
    )
    single: SingleRequest | None = Field(
        default=None,
        description="a single_tts job's request as submitted (the voice as cast): POST it to"
        " /api/v1/jobs/tts to run it again. The job stores its text once, as the sentences it"
        " runs, and gives back exactly the text sent",
    )
    sentence_ends: list[int] | None = Field(
        default=None,
        description="a single_tts job's sentences, its turns: where each ends in `single.text`,"
        " in code points (sentence i is text[ends[i-1]:ends[i]], from 0). Progress and"
        " turn_timings count them in this order",
    )
    progress: Progress
    result: JobResult | None
    error_message: str | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    elapsed: float | None = Field(
        description="seconds from submission to the end, or to now while the job is unfinished"
    )
    cancel_requested_at: datetime | None = None
    expires_at: datetime | None = Field(
        default=None, description="when the job, its audio and captions will be deleted"
    )
    callbacks: list[CallbackAttempt] = Field(
        default_factory=list, description="each attempt to POST the final event to callback_url"
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="what the job does other than asked, though it runs: speakers that share a"
        " voice because the provider had no more for their wish",
    )
    links: JobLinks
    read_model_error: str | None = Field(
        default=None,
        description="set when the read model could not store this job: the answer then comes"
        " from the job's events, and lists may show it with unstorable characters replaced",
    )

    @classmethod
    def of(
        cls, state: JobState, *, now: datetime | None = None, retention: timedelta | None = None
    ) -> JobView:
        end = state.completed_at or (now or datetime.now(UTC))
        path = f"/api/v1/jobs/{state.id}"
        return cls(
            id=state.id,
            status=state.status,
            job_type=state.job_type,
            provider=state.provider,
            title=state.title,
            **_request_of(state),
            progress=Progress(
                done=state.progress_done, total=state.progress_total, eta_ms=state.progress_eta_ms
            ),
            result=state.result,
            error_message=state.error_message,
            created_at=state.created_at,
            started_at=state.started_at,
            completed_at=state.completed_at,
            elapsed=round((end - state.created_at).total_seconds(), 3),
            cancel_requested_at=state.cancel_requested_at,
            expires_at=state.created_at + (retention or RETENTION),
            callbacks=state.callbacks,
            warnings=state.warnings,
            links=_links(state, path),
            read_model_error=state.read_model_error,
        )


def _request_of(state: JobState) -> dict[str, Any]:
    """The request once: a single_tts job's as sent, and where its sentences end; a multi-role
    job's as it ran."""
    if state.job_type != JobType.single_tts or not runs_as_text(state.input):
        # A single_tts job made of SSML runs again from its turns, which carry its markup.
        return {"input": state.input}
    ends = list(itertools.accumulate(len(turn.text) for turn in state.input.turns))
    return {"input": None, "single": single_of(state.input), "sentence_ends": ends}


class JobPage(BaseModel):
    items: list[JobView]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next, older page")


class VoiceCatalogue(BaseModel):
    providers: list[ProviderCatalogue]


def _links(state: JobState, path: str) -> JobLinks:
    if state.status is not JobStatus.completed or state.result is None:
        return JobLinks(self=path)
    timed = state.result.timing is not None
    return JobLinks(
        self=path,
        download=f"{path}/download",
        captions_vtt=f"{path}/captions?format=vtt",
        captions_srt=f"{path}/captions?format=srt",
        chapters_vtt=f"{path}/chapters?format=vtt" if state.result.chapters else None,
        chapters_json=f"{path}/chapters?format=json" if state.result.chapters else None,
        stems=f"{path}/stems" if state.result.stems else None,
        captions_words=f"{path}/captions?format=vtt-words" if timed else None,
        alignment=f"{path}/captions?format=alignment" if timed else None,
    )
