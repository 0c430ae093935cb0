"""Job callbacks: which URLs may be called, and how a delivery is signed.

Only URLs under an operator's allowlist entry are ever called: scheme, host and port must be
equal and the path must start with the entry's path, so ``https://hooks.example.com.evil.net``
or ``http://`` for an ``https://`` entry never pass. The gateway refuses other URLs at
submission; the notifier checks again, since events can come from any publisher.

A delivery carries ``Ttsjobs-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.
A receiver recomputes it over the raw body and rejects old timestamps to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlsplit

SIGNATURE_HEADER = "Ttsjobs-Signature"
DELIVERY_HEADER = "Ttsjobs-Delivery"


def _origin_and_path(url: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port, parts.path or "/"


def allowed(url: str, allowlist: list[str]) -> bool:
    try:
        scheme, host, port, path = _origin_and_path(url)
    except ValueError:
        return False
    for entry in allowlist:
        e_scheme, e_host, e_port, e_path = _origin_and_path(entry)
        if (scheme, host, port) == (e_scheme, e_host, e_port) and path.startswith(e_path):
            return True
    return False


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
