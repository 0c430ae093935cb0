"""The lexicon routes' and store's refusals, each rendered once as a problem (errors.py) that
names the field a client can fix."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import structlog

from ttsjobs.contracts.lexicon import LEXICON_MAX_BYTES, MAX_LEXICONS_PER_USER
from ttsjobs.messaging.publisher import NATS_UNAVAILABLE
from ttsjobs_gateway.errors import ServiceError

log = structlog.get_logger()
PLS = "application/pls+xml"
JSON = "application/json"


class LexiconNotFound(ServiceError):
    status = 404
    kind = "lexicon-not-found"
    title = "No such lexicon"

    def __init__(self, name: str) -> None:
        super().__init__(f"you have no lexicon named {name!r}", name=name)


class LexiconChanged(ServiceError):
    """If-Match named a revision that is no longer the lexicon's (or a lexicon that is gone)."""

    status = 412
    kind = "lexicon-changed"
    title = "The lexicon has changed since it was read"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"lexicon {name!r} is not at the revision If-Match names; read it again",
            name=name,
            errors=[{"field": "If-Match", "reason": "not the lexicon's current ETag"}],
        )


class TooManyLexicons(ServiceError):
    status = 409
    kind = "too-many-lexicons"
    title = "You have as many lexicons as you may"

    def __init__(self) -> None:
        cap = MAX_LEXICONS_PER_USER
        super().__init__(
            f"at most {cap} lexicons per user; delete one or replace one of the same name",
            errors=[{"field": "name", "reason": f"a new lexicon past the cap of {cap}"}],
        )


class LexiconTooLarge(ServiceError):
    status = 413
    kind = "lexicon-too-large"
    title = "The lexicon is too large"

    def __init__(self, size: int, how: str, limit: int = LEXICON_MAX_BYTES) -> None:
        super().__init__(
            f"the lexicon is {size} bytes {how}; at most {limit}",
            errors=[{"field": "body", "reason": f"{size} bytes {how}, past {limit}"}],
        )


class LexiconsUnavailable(ServiceError):
    status = 503
    kind = "lexicons-unavailable"
    title = "The lexicon store did not answer"

    def __init__(self) -> None:
        super().__init__("NATS did not answer in time; try again", headers={"Retry-After": "2"})


@contextlib.contextmanager
def nats_answering() -> Iterator[None]:
    """NATS not answering in time becomes a 503 with Retry-After, not a 500."""
    try:
        yield
    except NATS_UNAVAILABLE as err:
        log.warning("lexicons.unavailable", error=type(err).__name__)
        raise LexiconsUnavailable() from err


class UnsupportedLexiconType(ServiceError):
    status = 415
    kind = "unsupported-media-type"
    title = "A lexicon is PLS (application/pls+xml) or JSON (application/json)"

    def __init__(self, given: str | None) -> None:
        super().__init__(
            f"Content-Type {given or '(none)'} is not {PLS}, application/xml or {JSON}",
            errors=[{"field": "Content-Type", "reason": f"use {PLS} or {JSON}"}],
        )
