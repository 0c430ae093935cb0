"""What the notifier does with a job's final event.

Consumes: JobCompleted, JobFailed, JobCancelled (durable ``notifier``).
Emits: JobCallbackAttempted for every attempt, delivered or not.

The job's callback_url comes from its JobCreated. A URL off the allowlist is refused and never
called. A delivery is the final event as a structured CloudEvent, signed (see
``ttsjobs.callbacks``); anything but a 2xx is retried with doubling waits until the attempts run
out. Redirects are not followed: a receiver cannot send us somewhere the allowlist does not cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import httpx
import structlog

from ttsjobs.callbacks import DELIVERY_HEADER, SIGNATURE_HEADER, allowed, canonical, sign
from ttsjobs.contracts.job_events import CallbackAttempt, JobCreated, JobEvent, encode_event
from ttsjobs.messaging.consumer import RetryLater
from ttsjobs.messaging.publisher import Publish
from ttsjobs.observability import metrics
from ttsjobs_notifier import publishers

log = structlog.get_logger()


class CreatedEvents(Protocol):
    """A job's JobCreated, where its callback_url is (``StreamJobHistory`` reads it alone)."""

    async def created(self, job_id: str) -> JobCreated | None: ...


@dataclass
class NotifierDeps:
    publish: Publish
    jobs: CreatedEvents
    http: httpx.AsyncClient
    secret: str
    allowlist: list[str]
    max_attempts: int
    backoff_base_s: float
    backoff_max_s: float


async def notify(event: JobEvent, *, attempt: int, deps: NotifierDeps) -> None:
    created = await deps.jobs.created(event.subject)
    if created is None:
        raise RetryLater("the job's creation is not readable yet", delay_s=1.0)
    url = created.data.request.callback_url
    if url is None:
        return
    # The canonical form is what the allowlist check approves and what is called; the raw
    # string could be read differently by the HTTP client (dot segments, escapes).
    target = canonical(url)
    if target is None or not allowed(url, deps.allowlist):
        await _record(event, deps, attempt, url, error="not under an allowed callback URL",
                      final=True)  # fmt: skip
        metrics.CALLBACKS.labels("refused").inc()
        return
    body = encode_event(event)
    headers = {
        "Content-Type": "application/cloudevents+json",
        SIGNATURE_HEADER: sign(deps.secret, body),
        DELIVERY_HEADER: event.id,  # the same on every attempt: receivers can de-duplicate
    }
    status, error = None, None
    try:
        response = await deps.http.post(target, content=body, headers=headers)
        status = response.status_code
        if not 200 <= status < 300:
            error = f"the receiver answered HTTP {status}"
    except httpx.HTTPError as err:
        error = f"{type(err).__name__}: {err}"[:300] or type(err).__name__
    delivered = error is None
    final = delivered or attempt >= deps.max_attempts
    await _record(event, deps, attempt, url, status=status, error=error, final=final)
    outcome = "delivered" if delivered else ("gave_up" if final else "retrying")
    metrics.CALLBACKS.labels(outcome).inc()
    log.info("callback.attempted", attempt=attempt, status_code=status, outcome=outcome)
    if not final:
        delay = min(deps.backoff_max_s, deps.backoff_base_s * 2 ** (attempt - 1))
        raise RetryLater(f"callback not delivered: {error}", delay_s=delay)


async def _record(event, deps, attempt, url, *, status=None, error=None, final: bool) -> None:
    await deps.publish(
        publishers.callback_attempted(
            event.subject,
            user_id=event.data.user_id,
            attempt=CallbackAttempt(
                attempt=attempt,
                url=url,
                delivered=error is None,
                status_code=status,
                error=error,
                final=final,
                at=datetime.now(UTC),
            ),
        )
    )
