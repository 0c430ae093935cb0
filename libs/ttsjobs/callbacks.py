"""Job callbacks: which URLs may be called, and how a delivery is signed.

Only URLs under an operator's allowlist entry are ever called. Both sides are first brought to
one canonical form (``canonical``): lowercase scheme and host, the default port dropped,
percent-encoded unreserved characters decoded and dot segments resolved, no fragment. Then the
scheme, host and port must be equal and the entry's path must be a whole-segment prefix of the
URL's: ``/hooks/`` admits ``/hooks/a`` but not ``/hooks/../admin``, and ``/hooks`` admits
``/hooks`` and ``/hooks/a`` but not ``/hooksX``. URLs that receivers may read in more than one
way (credentials, backslashes, encoded slashes, control characters) never pass. The gateway
refuses other URLs at submission; the notifier checks again, since events can come from any
publisher, and calls the canonical URL it checked, never the raw string.

A delivery carries ``Ttsjobs-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.
A receiver recomputes it over the raw body and rejects old timestamps to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import TypeVar
from urllib.parse import urlsplit

from ttsjobs.contracts.cloudevents import CloudEvent

SIGNATURE_HEADER = "Ttsjobs-Signature"
DELIVERY_HEADER = "Ttsjobs-Delivery"
# On a job's final event, as a NATS header: the job has no callback_url, so the notifier acks
# the event without reading the job's JobCreated (an event without it is read as before).
NO_CALLBACK = ("Ttsjobs-Callback", "none")

E = TypeVar("E", bound=CloudEvent)


def marked_for_callbacks(event: E, callback_url: str | None) -> E:
    """``event`` (a job's final one), with NO_CALLBACK among its headers if ``callback_url``
    is None."""
    if callback_url is None:
        event.nats_headers()[NO_CALLBACK[0]] = NO_CALLBACK[1]
    return event


def has_no_callback(headers: dict[str, str] | None) -> bool:
    return headers is not None and headers.get(NO_CALLBACK[0]) == NO_CALLBACK[1]


_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
# Encoded separators: one server decodes them into a path separator, another does not.
_AMBIGUOUS_ESCAPES = ("%2f", "%5c")


def _decode_unreserved(path: str) -> str:
    """%2E → '.', %7E → '~' and so on (RFC 3986 §6.2.2.2); other escapes stay as written."""

    def decoded(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else match.group(0)

    return re.sub(r"%([0-9A-Fa-f]{2})", decoded, path)


def _without_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4: ``/a/b/../c/./d`` → ``/a/c/d``; nothing climbs above the root."""
    segments: list[str] = []
    parts = path.split("/")
    for i, segment in enumerate(parts[1:], 1):
        last = i == len(parts) - 1
        if segment == "..":
            if segments:
                segments.pop()
            if last:
                segments.append("")
        elif segment == ".":
            if last:
                segments.append("")
        else:
            segments.append(segment)
    return "/" + "/".join(segments)


def canonical(url: str) -> str | None:
    """The one form of ``url`` that is checked and then called, or None when it is not a plain
    http(s) URL that every receiver reads the same way."""
    if any(ord(c) <= 0x20 or c in "\\\x7f" for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    path = _decode_unreserved(parts.path or "/")
    if any(escape in path.lower() for escape in _AMBIGUOUS_ESCAPES) or not path.startswith("/"):
        return None
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{_without_dot_segments(path)}{query}"


def _under(path: str, entry_path: str) -> bool:
    if entry_path.endswith("/"):
        return path.startswith(entry_path)
    return path == entry_path or path.startswith(entry_path + "/")


def allowed(url: str, allowlist: list[str]) -> bool:
    target = canonical(url)
    if target is None:
        return False
    origin, path = _split_origin(target)
    for entry in allowlist:
        entry_url = canonical(entry)
        if entry_url is None:
            continue
        entry_origin, entry_path = _split_origin(entry_url)
        if origin == entry_origin and _under(path, entry_path):
            return True
    return False


def _split_origin(canonical_url: str) -> tuple[str, str]:
    parts = urlsplit(canonical_url)
    return f"{parts.scheme}://{parts.netloc}", parts.path


def sign(secret: str, body: bytes, *, now: int | None = None) -> str:
    timestamp = int(time.time()) if now is None else now
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, tolerance_s: int = 300) -> bool:
    """What a receiver does: the signature matches and is recent."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (ValueError, KeyError):
        return False
    if abs(time.time() - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, body, now=timestamp), header)
