"""Apply one account event to the read model.

Consumes: UserCreated, ApiKeyIssued, ApiKeyRevoked through the durable ``projection-accounts``
consumer. Writes: users, api_keys, projection_positions, in one transaction per event.
Idempotent: every write is an upsert or a guarded update, so redelivery and replay change nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import structlog

from ttsjobs.contracts.account_events import AccountEvent, ApiKeyIssued, ApiKeyRevoked, UserCreated
from ttsjobs_projection import repository
from ttsjobs_projection.repository import DbConnection

log = structlog.get_logger()


class AccountTables(Protocol):
    """The writes of users and api_keys, as ``repository`` does them in PostgreSQL (the unit
    tests give an in-memory one). Each is idempotent on its own, as its docstring there says."""

    async def save_user(
        self, conn: DbConnection, user_id: str, name: str, created_at: datetime
    ) -> None: ...

    async def ensure_users(self, conn: DbConnection, first_seen: dict[str, datetime]) -> None: ...

    async def add_api_key(
        self,
        conn: DbConnection,
        user_id: str,
        key_id: str,
        key_sha256: str,
        label: str,
        created_at: datetime,
    ) -> None: ...

    async def revoke_api_key(
        self, conn: DbConnection, user_id: str, key_id: str, at: datetime
    ) -> None: ...

    async def save_position(
        self, conn: DbConnection, consumer: str, seq: int, at: datetime
    ) -> None: ...


async def apply_account_event(
    event: AccountEvent,
    seq: int,
    *,
    conn: DbConnection,
    consumer: str,
    tables: AccountTables = repository,
) -> None:
    async with conn.transaction():
        if isinstance(event, UserCreated):
            # A user's jobs may have been projected first (a rebuild runs both streams at
            # once) and left a row named by its id: the real name and time replace it.
            await tables.save_user(conn, event.user_id, event.data.name, event.time)
        elif isinstance(event, ApiKeyIssued):
            # api_keys refers to users: the key is stored whatever became of its user's row,
            # under a stand-in named by the id if need be.
            await tables.ensure_users(conn, {event.user_id: event.time})
            key = event.data
            await tables.add_api_key(
                conn, event.user_id, key.key_id, key.key_sha256, key.label, event.time
            )
        elif isinstance(event, ApiKeyRevoked):
            await tables.revoke_api_key(conn, event.user_id, event.data.key_id, event.time)
        await tables.save_position(conn, consumer, seq, event.time)
    log.info("projection.account_applied", user_id=event.user_id, event_type=event.type, seq=seq)
