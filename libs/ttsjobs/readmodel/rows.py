"""How a JobState maps onto a tts_jobs row: the projection writes with it, the gateway reads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ttsjobs.contracts.job_events import CallbackAttempt, JobResult
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.strings import RECORDED
from ttsjobs.jobs.state import JobState, JobStatus

if TYPE_CHECKING:
    import asyncpg

COLUMNS: tuple[str, ...] = (
    "id",
    "user_id",
    "status",
    "job_type",
    "provider",
    "title",
    "input_json",
    "audio_file_id",
    "result_json",
    "error_message",
    "progress_done",
    "progress_total",
    "progress_eta_ms",
    "cancel_requested_at",
    "created_at",
    "started_at",
    "completed_at",
    "updated_at",
    "last_event_seq",
    "last_event_id",
    "callbacks_json",
    "warnings_json",
)


# Written by the projection, never read back into a JobState: what GET /api/v1/jobs?q= searches.
SEARCH_COLUMNS: tuple[str, ...] = ("search_text", "search_grams")
WRITE_COLUMNS: tuple[str, ...] = (*COLUMNS, *SEARCH_COLUMNS)
# The job as created: what no event changes once the row exists.
_AS_CREATED = frozenset(
    {"id", "user_id", "job_type", "provider", "input_json", "created_at", "warnings_json"}
)
# What an update of a row that exists writes (see changes_from_state).
CHANGING_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in _AS_CREATED)

SHORT_QUERY = 2
"""Queries up to this many characters are too short for trigrams; search_grams serves them."""


def search_text(state: JobState) -> str:
    """The job's title and every turn's text, one per line: the text ``q`` is matched in."""
    return "\n".join([state.title or "", *(turn.text for turn in state.input.turns)])


def search_grams(text: str) -> list[str]:
    """Every distinct 1- and 2-character piece of ``text``, lower-cased: a GIN index on them
    answers the one- and two-character queries (common in Chinese) that trigrams cannot."""
    text = text.lower()
    return sorted({text[i : i + n] for n in range(1, SHORT_QUERY + 1) for i in range(len(text))})


def _json(value: Any) -> Any:
    # asyncpg hands jsonb back as text unless a codec is set; accept both.
    return json.loads(value) if isinstance(value, str) else value


def state_from_row(row: asyncpg.Record | Mapping[str, Any]) -> JobState:
    result = _json(row["result_json"])
    return JobState(
        id=str(row["id"]),
        user_id=str(row["user_id"]),
        status=JobStatus(row["status"]),
        job_type=row["job_type"],
        provider=row["provider"],
        title=row["title"],
        input=MultiRoleRequest.model_validate(_json(row["input_json"]), context=RECORDED),
        progress_done=row["progress_done"],
        progress_total=row["progress_total"],
        progress_eta_ms=row["progress_eta_ms"],
        result=JobResult.model_validate(result) if result is not None else None,
        audio_file_id=str(row["audio_file_id"]) if row["audio_file_id"] else None,
        error_message=row["error_message"],
        cancel_requested_at=row["cancel_requested_at"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        completed_at=row["completed_at"],
        updated_at=row["updated_at"],
        last_event_seq=row["last_event_seq"],
        last_event_id=row["last_event_id"],
        callbacks=[CallbackAttempt.model_validate(c) for c in _json(row["callbacks_json"]) or []],
        warnings=_json(row["warnings_json"]) or [],
        # Outside COLUMNS: the projection's upserts leave it alone; the gateway reads it.
        read_model_error=row.get("read_model_error"),
    )


def _changing_values(state: JobState) -> dict[str, Any]:
    """CHANGING_COLUMNS' values; JSON columns as text for asyncpg's jsonb."""
    return {
        "status": state.status.value,
        "title": state.title,
        "audio_file_id": state.audio_file_id,
        "result_json": state.result.model_dump_json() if state.result else None,
        "error_message": state.error_message,
        "progress_done": state.progress_done,
        "progress_total": state.progress_total,
        "progress_eta_ms": state.progress_eta_ms,
        "cancel_requested_at": state.cancel_requested_at,
        "started_at": state.started_at,
        "completed_at": state.completed_at,
        "updated_at": state.updated_at,
        "last_event_seq": state.last_event_seq,
        "last_event_id": state.last_event_id,
        "callbacks_json": json.dumps([c.model_dump(mode="json") for c in state.callbacks]),
    }


def changes_from_state(state: JobState, *, search: bool) -> tuple[Any, ...]:
    """The id, then values in CHANGING_COLUMNS order, then (``search``: the title changed)
    SEARCH_COLUMNS': what an update of an existing row writes. The request is not serialised
    again, nor its search text rebuilt."""
    changing = _changing_values(state)
    values = (state.id, *(changing[c] for c in CHANGING_COLUMNS))
    if not search:
        return values
    return (*values, (text := search_text(state)), search_grams(text))


def row_from_state(state: JobState) -> tuple[Any, ...]:
    """Values in WRITE_COLUMNS order; JSON columns as text for asyncpg's jsonb."""
    text = search_text(state)
    values = _changing_values(state) | {
        "id": state.id,
        "user_id": state.user_id,
        "job_type": state.job_type,
        "provider": state.provider,
        "input_json": state.input.model_dump_json(),
        "warnings_json": json.dumps(state.warnings),
        "created_at": state.created_at,
        "search_text": text,
        "search_grams": search_grams(text),
    }
    return tuple(values[c] for c in WRITE_COLUMNS)
