"""Apply one account event to the read model.

Consumes: UserCreated, ApiKeyIssued, ApiKeyRevoked through the durable ``projection-accounts``
consumer. Writes: users, api_keys, projection_positions, in one transaction per event.
Idempotent: every write is an upsert or a guarded update, so redelivery and replay change nothing.
"""

from __future__ import annotations

import structlog

from ttsjobs.contracts.account_events import AccountEvent, ApiKeyIssued, ApiKeyRevoked, UserCreated
from ttsjobs_projection import repository
from ttsjobs_projection.repository import DbConnection

log = structlog.get_logger()


async def apply_account_event(
    event: AccountEvent, seq: int, *, conn: DbConnection, consumer: str
) -> None:
    async with conn.transaction():
        if isinstance(event, UserCreated):
            # A user's jobs may have been projected first (a rebuild runs both streams at
            # once) and left a row named by its id: the real name and time replace it.
            await conn.execute(
                "INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3)"
                " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
                " created_at = EXCLUDED.created_at",
                event.user_id,
                event.data.name,
                event.time,
            )
        elif isinstance(event, ApiKeyIssued):
            await repository.ensure_users(conn, {event.user_id: event.time})
            await conn.execute(
                "INSERT INTO api_keys (key_id, user_id, key_sha256, label, created_at)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key_id) DO NOTHING",
                event.data.key_id,
                event.user_id,
                event.data.key_sha256,
                event.data.label,
                event.time,
            )
        elif isinstance(event, ApiKeyRevoked):
            await conn.execute(
                "UPDATE api_keys SET revoked_at = $3"
                " WHERE key_id = $1 AND user_id = $2 AND revoked_at IS NULL",
                event.data.key_id,
                event.user_id,
                event.time,
            )
        await repository.save_position(conn, consumer, seq, event.time)
    log.info("projection.account_applied", user_id=event.user_id, event_type=event.type, seq=seq)
