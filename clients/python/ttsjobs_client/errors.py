"""What the client raises: a refused request as the gateway described it (problem+json), and a
job feed the gateway closed for good."""

from __future__ import annotations

from typing import Any

import httpx


class TtsjobsError(Exception):
    """Every error of this package."""


class ApiError(TtsjobsError):
    """The gateway refused a request. ``type``, ``title``, ``status``, ``detail`` and ``errors``
    are the problem document's (RFC 9457); ``errors`` names each bad field as ``{"field",
    "reason"}``. An answer that is not a problem document keeps its status and its text."""

    def __init__(
        self,
        *,
        status: int,
        type: str = "about:blank",  # the problem document's own name
        title: str,
        detail: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(f"{status} {title}" + (f": {detail}" if detail else ""))
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.body = body

    @classmethod
    def of(cls, response: httpx.Response) -> ApiError:
        """The error an answer of 400 or more says (its body already read)."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            text = response.text[:200]
            return cls(status=response.status_code, title=text or response.reason_phrase)
        errors = body.get("errors")
        return cls(
            status=response.status_code,
            type=str(body.get("type") or "about:blank"),
            title=str(body.get("title") or response.reason_phrase),
            detail=body.get("detail") if isinstance(body.get("detail"), str) else None,
            errors=[e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else [],
            body=body,
        )


class FeedRefused(TtsjobsError):
    """The job's WebSocket feed was closed for a reason that reconnecting cannot mend: no such
    job (4404), the key refused (4401), or a query the gateway cannot serve (4400)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"the job feed closed {code}: {reason}")
        self.code = code
        self.reason = reason
