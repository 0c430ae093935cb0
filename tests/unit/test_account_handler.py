"""apply_account_event on in-memory tables: a user's events fold into their rows, replays and
redeliveries change nothing, a user's own event replaces the stand-in their jobs left, a
revocation touches only the user's own key, and a failing event leaves every table as it was."""

from __future__ import annotations

import contextlib
import copy
from datetime import UTC, datetime, timedelta

import pytest

from ttsjobs.accounts.keys import new_key, user_id_for
from ttsjobs.contracts.account_events import (
    ApiKeyIssued,
    ApiKeyIssuedData,
    ApiKeyRevoked,
    ApiKeyRevokedData,
    UserCreated,
    UserCreatedData,
)
from ttsjobs_projection.account_handlers import apply_account_event

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class MemoryAccountTables:
    """users, api_keys and projection_positions as dicts, each write with the guarantee its SQL
    in ``repository`` has; a transaction that is all or nothing."""

    def __init__(self) -> None:
        self.users: dict[str, tuple[str, datetime]] = {}
        self.keys: dict[str, dict] = {}
        self.positions: dict[str, int] = {}
        self.fail_on_position = False

    @contextlib.asynccontextmanager
    async def transaction(self):
        before = copy.deepcopy((self.users, self.keys, self.positions))
        try:
            yield
        except BaseException:
            self.users, self.keys, self.positions = before
            raise

    def tables(self) -> tuple:
        return copy.deepcopy((self.users, self.keys, self.positions))

    async def save_user(self, conn, user_id, name, created_at):
        self.users[user_id] = (name, created_at)

    async def ensure_users(self, conn, first_seen):
        for user, at in first_seen.items():
            self.users.setdefault(user, (user, at))

    async def add_api_key(self, conn, user_id, key_id, key_sha256, label, created_at):
        self.keys.setdefault(
            key_id,
            {"user_id": user_id, "sha256": key_sha256, "label": label,
             "created_at": created_at, "revoked_at": None},
        )  # fmt: skip

    async def revoke_api_key(self, conn, user_id, key_id, at):
        key = self.keys.get(key_id)
        if key is not None and key["user_id"] == user_id and key["revoked_at"] is None:
            key["revoked_at"] = at

    async def save_position(self, conn, consumer, seq, at):
        if self.fail_on_position:
            raise ConnectionError("the database went away")
        self.positions[consumer] = max(seq, self.positions.get(consumer, 0))


def _created(name: str, *, minutes: int = 0) -> UserCreated:
    user_id = user_id_for(name)
    return UserCreated(
        id=f"{user_id}.created", source="test", subject=user_id,
        time=T0 + timedelta(minutes=minutes), data=UserCreatedData(name=name),
    )  # fmt: skip


def _issued(name: str, *, minutes: int = 1, label: str = "laptop") -> ApiKeyIssued:
    key = new_key()
    return ApiKeyIssued(
        id=f"{key.key_id}.issued", source="test", subject=user_id_for(name),
        time=T0 + timedelta(minutes=minutes),
        data=ApiKeyIssuedData(key_id=key.key_id, key_sha256=key.sha256, label=label),
    )  # fmt: skip


def _revoked(name: str, key_id: str, *, minutes: int = 2) -> ApiKeyRevoked:
    return ApiKeyRevoked(
        id=f"{key_id}.revoked.{minutes}", source="test", subject=user_id_for(name),
        time=T0 + timedelta(minutes=minutes), data=ApiKeyRevokedData(key_id=key_id),
    )  # fmt: skip


async def _apply(tables, events, *, first_seq: int = 1) -> None:
    for seq, event in enumerate(events, first_seq):
        await apply_account_event(event, seq, conn=tables, consumer="accounts", tables=tables)


async def test_a_users_events_fold_into_their_rows():
    tables = MemoryAccountTables()
    user, key = _created("alice"), _issued("alice")
    await _apply(tables, [user, key, _revoked("alice", key.data.key_id, minutes=5)])
    assert tables.users == {user.user_id: ("alice", user.time)}
    assert tables.keys == {
        key.data.key_id: {"user_id": user.user_id, "sha256": key.data.key_sha256,
                          "label": "laptop", "created_at": key.time,
                          "revoked_at": T0 + timedelta(minutes=5)},
    }  # fmt: skip
    assert tables.positions == {"accounts": 3}


async def test_a_replay_and_a_redelivery_change_nothing():
    tables = MemoryAccountTables()
    key = _issued("alice")
    events = [_created("alice"), key, _issued("alice"), _revoked("alice", key.data.key_id)]
    await _apply(tables, events)
    applied = tables.tables()
    await _apply(tables, events)  # the whole stream again (a replay)
    await _apply(tables, [key], first_seq=2)  # one event again (a redelivery)
    assert tables.tables() == applied
    assert tables.keys[key.data.key_id]["revoked_at"] is not None, "the key stays revoked"


async def test_the_first_revocation_stands():
    tables = MemoryAccountTables()
    key = _issued("alice")
    first, again = (_revoked("alice", key.data.key_id, minutes=m) for m in (2, 9))
    await _apply(tables, [_created("alice"), key, first, again])
    assert tables.keys[key.data.key_id]["revoked_at"] == first.time


async def test_a_users_own_event_replaces_the_stand_in_their_jobs_left():
    tables = MemoryAccountTables()
    user = _created("alice", minutes=3)
    # The job projection (a rebuild runs both streams at once) got there first.
    await tables.ensure_users(None, {user.user_id: T0})
    await _apply(tables, [user])
    assert tables.users[user.user_id] == ("alice", user.time)


async def test_a_key_is_stored_under_a_stand_in_when_its_user_is_missing():
    tables = MemoryAccountTables()
    key = _issued("alice")
    await _apply(tables, [key])
    assert tables.users == {key.user_id: (key.user_id, key.time)}
    assert tables.keys[key.data.key_id]["user_id"] == key.user_id
    await _apply(tables, [_created("alice", minutes=7)], first_seq=2)
    assert tables.users[key.user_id][0] == "alice", "named once the user's own event comes"
    await _apply(tables, [_issued("alice", minutes=8)], first_seq=3)
    assert tables.users[key.user_id][0] == "alice", "a later key keeps the name"


async def test_a_revocation_touches_only_the_users_own_key():
    tables = MemoryAccountTables()
    alices = _issued("alice")
    await _apply(tables, [_created("alice"), alices, _created("mallory")])
    await _apply(tables, [_revoked("mallory", alices.data.key_id)], first_seq=4)
    assert tables.keys[alices.data.key_id]["revoked_at"] is None
    assert tables.positions == {"accounts": 4}, "passed over all the same"


async def test_a_failing_event_leaves_every_table_as_it_was():
    tables = MemoryAccountTables()
    await _apply(tables, [_created("alice")])
    before = tables.tables()
    tables.fail_on_position = True
    with pytest.raises(ConnectionError):
        await _apply(tables, [_issued("bob")], first_seq=2)
    assert tables.tables() == before
