"""The rebuild's pass over the accounts stream: users and API keys, one event at a time.

Consumes: every account event, through the rebuild's own unacknowledged consumer. Writes
through ``apply_account_event`` (upserts), so the same pass serves the replay into the new
schema and the catch-up after the swap. There are few of these events, so no bulk path.
"""

from __future__ import annotations

import asyncpg
from pydantic import ValidationError

from ttsjobs.contracts.account_events import AccountEvent, parse_account_event
from ttsjobs_projection.account_handlers import apply_account_event
from ttsjobs_projection.one_by_one import PoisonPolicy, apply_each, letter_undecodable
from ttsjobs_projection.replay_reading import StreamReader


async def apply_accounts(
    reader: StreamReader,
    pool: asyncpg.Pool,
    *,
    consumer: str,
    policy: PoisonPolicy[AccountEvent],
) -> int:
    """Apply the accounts stream to its end; returns the events passed."""

    async def one(event: AccountEvent, seq: int) -> None:
        async with pool.acquire() as conn:
            await apply_account_event(event, seq, conn=conn, consumer=consumer)

    passed = 0
    async for batch in reader.to_the_end():
        items = []
        for seq, msg in batch:
            try:
                items.append((parse_account_event(msg.data), seq, msg))
            except ValidationError as err:
                await letter_undecodable(msg, str(err), policy)
        await apply_each(items, one, policy)
        passed += len(batch)
    return passed
