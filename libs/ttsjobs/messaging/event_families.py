"""The families of events a consumer runner reads: which stream they live in, how their bytes
decode, and which ids a log line about one of them carries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from ttsjobs.contracts import subjects
from ttsjobs.contracts.account_events import AccountEvent, parse_account_event
from ttsjobs.contracts.job_events import JobEvent, parse_event


class Event(Protocol):
    """What the runner reads of any event: its id (the message id) and its CloudEvents type."""

    @property
    def id(self) -> str: ...

    @property
    def type(self) -> str: ...


E = TypeVar("E", bound=Event)


@dataclass(frozen=True)
class EventFamily(Generic[E]):
    stream: str
    # Raises pydantic's ValidationError on bytes that are not one of the family's events.
    decode: Callable[[bytes], E]
    # Bound to the log context while a handler works on the event.
    log_context: Callable[[E], dict[str, str]]


def _job_log_context(event: JobEvent) -> dict[str, str]:
    return {"job_id": event.subject, "user_id": event.data.user_id}


def _account_log_context(event: AccountEvent) -> dict[str, str]:
    return {"user_id": event.subject}


JOB_EVENTS: EventFamily[JobEvent] = EventFamily(subjects.STREAM, parse_event, _job_log_context)
ACCOUNT_EVENTS: EventFamily[AccountEvent] = EventFamily(
    subjects.ACCOUNTS_STREAM, parse_account_event, _account_log_context
)
