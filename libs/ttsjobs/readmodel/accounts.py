"""Reads of the users and api_keys tables, which the projection writes from the accounts stream:
what the operator's tools ask of them (who exists, which keys are stored, revoked or active)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncpg


@dataclass
class KeyRow:
    key_id: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass
class UserRow:
    id: str
    name: str
    created_at: datetime
    keys: list[KeyRow] = field(default_factory=list)


@dataclass(frozen=True)
class KeyHolder:
    user_id: str
    revoked_at: datetime | None


async def user_name(pool: asyncpg.Pool, user_id: str) -> str | None:
    name: str | None = await pool.fetchval("SELECT name FROM users WHERE id = $1", user_id)
    return name


async def key_holder(pool: asyncpg.Pool, key_id: str) -> KeyHolder | None:
    row = await pool.fetchrow("SELECT user_id, revoked_at FROM api_keys WHERE key_id = $1", key_id)
    return None if row is None else KeyHolder(str(row["user_id"]), row["revoked_at"])


async def key_stored(pool: asyncpg.Pool, key_id: str) -> bool:
    return bool(await pool.fetchval("SELECT 1 FROM api_keys WHERE key_id = $1", key_id))


async def key_revoked(pool: asyncpg.Pool, key_id: str) -> bool:
    return bool(
        await pool.fetchval(
            "SELECT 1 FROM api_keys WHERE key_id = $1 AND revoked_at IS NOT NULL", key_id
        )
    )


async def key_active(pool: asyncpg.Pool, key_id: str) -> bool:
    return bool(
        await pool.fetchval(
            "SELECT 1 FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL", key_id
        )
    )


async def users_with_keys(pool: asyncpg.Pool) -> list[UserRow]:
    """Every user by name, each with its keys (revoked ones too) oldest first."""
    users = {
        str(r["id"]): UserRow(str(r["id"]), r["name"], r["created_at"])
        for r in await pool.fetch("SELECT id, name, created_at FROM users ORDER BY name")
    }
    for r in await pool.fetch(
        "SELECT key_id, user_id, label, created_at, revoked_at FROM api_keys ORDER BY created_at"
    ):
        user = users.get(str(r["user_id"]))
        if user is not None:
            user.keys.append(KeyRow(r["key_id"], r["label"], r["created_at"], r["revoked_at"]))
    return list(users.values())
