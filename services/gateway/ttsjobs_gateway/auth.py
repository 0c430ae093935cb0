"""Who is calling: ``Authorization: Bearer <API key>`` on every REST call and WebSocket.

A browser cannot set headers on a WebSocket, so a feed also takes the key as a subprotocol,
``bearer.<key>`` next to ``ttsjobs`` (the one the server selects). Never from the URL: URLs end up
in logs. Keys are looked up in the projection's api_keys table by their public id and compared
by hash. Found keys are remembered for ``auth_cache_s``; a revocation event evicts one at once,
so the cache only matters if this gateway missed that event. While PostgreSQL is down, a key this
gateway has seen valid stays valid (until a revocation event says otherwise): submitting jobs
needs only NATS, and an outage of the read model must not lock out every client. An open feed
watches its key (``revoked``): a revocation event ends it at once, and the feed looks the key
up again every ``auth_cache_s`` in case this gateway missed the event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

import asyncpg
import structlog
from fastapi import Depends, Request, WebSocket
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from starlette.requests import HTTPConnection

from ttsjobs.accounts.keys import key_id_of, matches
from ttsjobs.aio.newest import Newest
from ttsjobs.contracts import subjects
from ttsjobs.contracts.account_events import ApiKeyRevoked
from ttsjobs_gateway.errors import StoreUnavailable, Unauthorized
from ttsjobs_gateway.reads import tables
from ttsjobs_gateway.state import ports_of

log = structlog.get_logger()

WS_PROTOCOL = "ttsjobs"
WS_KEY_PREFIX = "bearer."
_REMEMBERED = 10_000


@dataclass(frozen=True)
class Caller:
    user_id: str
    key_id: str


class ApiKeys:
    def __init__(self, pool: asyncpg.Pool, *, cache_s: float) -> None:
        self._pool = pool
        self._cache_s = cache_s
        self._known: Newest[str, tuple[Caller, str, float]] = Newest(_REMEMBERED)
        self._watching: dict[str, set[asyncio.Event]] = {}
        self._sub: Subscription | None = None

    @property
    def cache_s(self) -> float:
        return self._cache_s

    @contextlib.contextmanager
    def revoked(self, key_id: str) -> Iterator[asyncio.Event]:
        """An event set when a revocation of ``key_id`` arrives, while the block runs."""
        event = asyncio.Event()
        self._watching.setdefault(key_id, set()).add(event)
        try:
            yield event
        finally:
            watchers = self._watching.get(key_id, set())
            watchers.discard(event)
            if not watchers:
                self._watching.pop(key_id, None)

    async def caller(self, key: str) -> Caller | None:
        key_id = key_id_of(key)
        if key_id is None:
            return None
        known = self._known.get(key_id)
        if known is not None and known[2] > time.monotonic():
            caller, sha256, _ = known
            return caller if matches(key, sha256) else None
        try:
            found = await tables.active_key(self._pool, key_id)
        except StoreUnavailable:
            if known is None:
                raise
            log.warning("auth.key_from_memory", key_id=key_id, reason="store unavailable")
            caller, sha256, _ = known
            return caller if matches(key, sha256) else None
        if found is None or not matches(key, found[1]):
            return None
        caller = Caller(user_id=found[0], key_id=key_id)
        self._known.store(key_id, (caller, found[1], time.monotonic() + self._cache_s))
        return caller

    async def still_valid(self, key: str) -> bool:
        """The key as the table says now, past the cache: an open feed asks this every
        ``cache_s``, so one this gateway saw no revocation event for still ends in that bound.
        With the store down, a key seen valid stays valid (as for ``caller``)."""
        key_id = key_id_of(key)
        if key_id is None:
            return False
        try:
            found = await tables.active_key(self._pool, key_id)
        except StoreUnavailable:
            return True
        if found is None or not matches(key, found[1]):
            self._known.pop(key_id, None)
            return False
        return True

    async def watch_revocations(self, nc: Client) -> None:
        async def revoked(msg: Msg) -> None:
            try:
                key_id = json.loads(msg.data)["data"]["key_id"]
            except (ValueError, KeyError, TypeError):
                return
            if self._known.pop(key_id, None) is not None:
                log.info("auth.key_forgotten", key_id=key_id)
            for event in self._watching.get(key_id, ()):
                event.set()

        self._sub = await nc.subscribe(subjects.every_account(ApiKeyRevoked.kind), cb=revoked)

    async def stop(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()


async def api_keys(conn: HTTPConnection) -> ApiKeys:
    """The ``keys`` port, handed out here rather than in state.py, which imports ApiKeys."""
    return ports_of(conn).keys


Keys = Annotated[ApiKeys, Depends(api_keys)]

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `ttsjobs users create NAME`, as `Authorization: Bearer <key>`.",
)


async def authenticated(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    keys: Keys,
) -> Caller:
    if credentials is None:
        raise Unauthorized("send your API key as `Authorization: Bearer <key>`")
    caller = await keys.caller(credentials.credentials)
    if caller is None:
        raise Unauthorized("the API key is not valid, or it has been revoked")
    structlog.contextvars.bind_contextvars(user_id=caller.user_id)
    return caller


CurrentCaller = Annotated[Caller, Depends(authenticated)]


async def caller_of(request: Request) -> Caller:
    """``authenticated`` outside dependency injection, for code that runs before a route's."""
    return await authenticated(await _bearer(request), await api_keys(request))


def websocket_key(ws: WebSocket) -> tuple[str | None, str | None]:
    """The key a WebSocket client sent, and the subprotocol to select in the answer."""
    offered = [p.strip() for p in ws.headers.get("sec-websocket-protocol", "").split(",")]
    protocol = WS_PROTOCOL if WS_PROTOCOL in offered else None
    scheme, _, value = ws.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), protocol
    for entry in offered:
        if entry.startswith(WS_KEY_PREFIX):
            return entry.removeprefix(WS_KEY_PREFIX), protocol
    return None, protocol
