"""API keys: ``tj_<key id>_<secret>``. The key id is public (lists and revocation name it);
only the SHA-256 of the whole key is stored, so a leaked table or stream gives no key."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass

PREFIX = "tj"
_SHAPE = re.compile(r"^tj_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
# User ids follow from names, so creating the same user twice names the same user.
_USER_NAMESPACE = uuid.UUID("6f1c3a52-0d1e-4c38-9a57-5b0a3f6f2d10")


@dataclass(frozen=True)
class NewKey:
    key: str  # shown once, to the person who asked for it
    key_id: str
    sha256: str


def new_key() -> NewKey:
    key_id = secrets.token_hex(6)
    key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    return NewKey(key=key, key_id=key_id, sha256=key_sha256(key))


def key_sha256(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id_of(key: str) -> str | None:
    """The key id of something shaped like a key, else None (nothing to look up)."""
    match = _SHAPE.match(key)
    return match.group(1) if match else None


def matches(key: str, stored_sha256: str) -> bool:
    return hmac.compare_digest(key_sha256(key), stored_sha256)


def user_id_for(name: str) -> str:
    return str(uuid.uuid5(_USER_NAMESPACE, name))
