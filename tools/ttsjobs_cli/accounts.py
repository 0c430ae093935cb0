"""What an operator does with accounts: create users, issue, list and revoke keys.

Each change is an event on the accounts stream; the projection writes the tables. A command
returns once the projection shows the change (or says that it has not yet), so a key printed
by ``ttsjobs users create`` works at once, and a revoked key is refused once revoke returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import asyncpg
import nats
from nats.js import JetStreamContext

from ttsjobs.accounts.keys import NewKey, key_id_of, new_key, user_id_for
from ttsjobs.contracts.account_events import (
    ApiKeyIssued,
    ApiKeyIssuedData,
    ApiKeyRevoked,
    ApiKeyRevokedData,
    UserCreated,
    UserCreatedData,
)
from ttsjobs.contracts.cloudevents import CloudEvent
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import ensure_streams
from ttsjobs.readmodel import accounts as tables
from ttsjobs.readmodel.accounts import UserRow
from ttsjobs.settings import CommonSettings

SOURCE = "/ttsjobs/accounts"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
LOCAL_USER = "local"


class AccountError(Exception):
    """Refused, with a reason for the operator."""


@dataclass(frozen=True)
class Issued:
    user_id: str
    name: str
    key: NewKey
    applied: bool  # the projection shows it: the key works now


class Accounts:
    def __init__(self, js: JetStreamContext, pool: asyncpg.Pool, *, wait_s: float = 10.0) -> None:
        self._publisher = EventPublisher(js)
        self._pool = pool
        self._wait_s = wait_s

    async def create_user(self, name: str, *, label: str = "") -> Issued:
        if not _NAME.match(name):
            raise AccountError(
                "a user name is 1 to 100 letters, digits, '.', '_', '@' or '-', "
                "starting with a letter or digit"
            )
        user_id = user_id_for(name)
        if await self._user_name(user_id) is not None:
            raise AccountError(f"user {name!r} exists; `ttsjobs users key {name}` adds a key")
        await self._publish(
            UserCreated(
                id=f"{user_id}.created", source=SOURCE, subject=user_id,
                data=UserCreatedData(name=name),
            )
        )  # fmt: skip
        return await self._issue(user_id, name, label)

    async def issue_key(self, name: str, *, label: str = "") -> Issued:
        user_id = user_id_for(name)
        if await self._user_name(user_id) is None:
            raise AccountError(f"no user {name!r}; `ttsjobs users create {name}` makes one")
        return await self._issue(user_id, name, label)

    async def revoke_key(self, key_id: str) -> bool:
        """Returns whether the projection shows the key revoked (it is refused from then on)."""
        holder = await tables.key_holder(self._pool, key_id)
        if holder is None:
            raise AccountError(f"no key {key_id!r}; `ttsjobs users list` shows the keys")
        if holder.revoked_at is not None:
            raise AccountError(f"key {key_id} was revoked at {holder.revoked_at:%Y-%m-%d %H:%M}")
        user_id = holder.user_id
        await self._publish(
            ApiKeyRevoked(
                id=f"{key_id}.revoked", source=SOURCE, subject=user_id,
                data=ApiKeyRevokedData(key_id=key_id),
            )
        )  # fmt: skip
        return await self._shown(lambda: tables.key_revoked(self._pool, key_id))

    async def users(self) -> list[UserRow]:
        return await tables.users_with_keys(self._pool)

    async def key_is_active(self, key: str) -> bool:
        key_id = key_id_of(key)
        return key_id is not None and await tables.key_active(self._pool, key_id)

    async def local_key(self, remembered: str | None) -> str:
        """The single-user key of ``ttsjobs dev``: the remembered one while it works, else new."""
        if remembered and await self.key_is_active(remembered):
            return remembered
        if await self._user_name(user_id_for(LOCAL_USER)) is None:
            issued = await self.create_user(LOCAL_USER, label="ttsjobs dev")
        else:
            issued = await self.issue_key(LOCAL_USER, label="ttsjobs dev")
        if not issued.applied:
            raise AccountError("the projection did not apply the local user's key in time")
        return issued.key.key

    async def _issue(self, user_id: str, name: str, label: str) -> Issued:
        key = new_key()
        await self._publish(
            ApiKeyIssued(
                id=f"{key.key_id}.issued", source=SOURCE, subject=user_id,
                data=ApiKeyIssuedData(key_id=key.key_id, key_sha256=key.sha256, label=label),
            )
        )  # fmt: skip
        applied = await self._shown(lambda: tables.key_stored(self._pool, key.key_id))
        return Issued(user_id, name, key, applied)

    async def _user_name(self, user_id: str) -> str | None:
        try:
            return await tables.user_name(self._pool, user_id)
        except asyncpg.UndefinedTableError:
            return None  # the projection has not created its schema yet

    async def _publish(self, event: CloudEvent) -> None:
        await self._publisher(event)

    async def _shown(self, applied: Callable[[], Awaitable[bool]]) -> bool:
        """Wait until the projection has applied what was just published, up to the deadline."""
        deadline = time.monotonic() + self._wait_s
        while True:
            with contextlib.suppress(asyncpg.UndefinedTableError):
                if await applied():
                    return True
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def open_accounts(
    settings: CommonSettings, *, wait_s: float = 10.0
) -> AsyncIterator[Accounts]:
    async def quiet(_: Exception) -> None:  # the failure is raised below, once
        pass

    try:
        # One retry: the client's first connect otherwise tries 60 times, two seconds apart,
        # so `ttsjobs users` with NATS down took two minutes to say so.
        nc = await nats.connect(
            settings.nats_servers, name="ttsjobs-accounts", connect_timeout=5,
            max_reconnect_attempts=1, reconnect_time_wait=0.5, error_cb=quiet,
        )  # fmt: skip
    except Exception as err:
        raise AccountError(f"cannot reach NATS at {settings.nats_url}: {err}") from err
    try:
        js = nc.jetstream()
        await ensure_streams(js, retention=settings.retention, replicas=settings.stream_replicas)
        try:
            pool = await asyncpg.create_pool(
                settings.database_url.get_secret_value(), min_size=1, max_size=2, timeout=10
            )
        except (OSError, asyncpg.PostgresError) as err:
            raise AccountError(f"cannot reach PostgreSQL: {type(err).__name__}") from err
        try:
            yield Accounts(js, pool, wait_s=wait_s)
        finally:
            await pool.close()
    finally:
        await nc.drain()
