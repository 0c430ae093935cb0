"""The retrying POST lives in the SDK (ttsjobs_client.retrying); the cluster drills and the
retrying clients' tests import it from here."""

from ttsjobs_client.retrying import (
    FIRST_BACKOFF_S,
    HEADER,
    IN_FLIGHT,
    LONGEST_BACKOFF_S,
    Outcome,
    Retrying,
    post_retrying,
    post_retrying_blocking,
    retryable,
)

__all__ = [
    "FIRST_BACKOFF_S",
    "HEADER",
    "IN_FLIGHT",
    "LONGEST_BACKOFF_S",
    "Outcome",
    "Retrying",
    "post_retrying",
    "post_retrying_blocking",
    "retryable",
]
