"""Replay of the projection's dead letters, after whatever made them fail has been fixed.

A job letter is not re-published: the event is still in the job stream, and a copy would show
twice in the job's history and be skipped as stale by the projection (later events of the job
may have been applied to its stand-in row). Instead the job's row is rebuilt from the job's
whole history, under a row lock so that the live projection's next write lands after it, and
its ``read_model_error`` goes. An account letter is applied again (its writes are upserts).
Either way the letter is removed once the table holds the event, and kept, with the new error,
when it still fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from nats.js import JetStreamContext

from ttsjobs.contracts.account_events import parse_account_event
from ttsjobs.jobs.state import fold
from ttsjobs.messaging.dead_letters import DeadLetter, read_letters, remove_letter
from ttsjobs.messaging.job_history import read_history
from ttsjobs_projection import repository
from ttsjobs_projection.account_handlers import apply_account_event
from ttsjobs_projection.config import Settings
from ttsjobs_projection.repository import DbConnection

log = structlog.get_logger()


@dataclass(frozen=True)
class Replayed:
    letter: DeadLetter
    error: str | None  # None: applied and removed


async def every_letter(js: JetStreamContext) -> list[DeadLetter]:
    """The projection's and any other consumer's (the notifier's): an operator sees them all."""
    return [letter async for letter in read_letters(js)]


def replayable(letter: DeadLetter, settings: Settings) -> bool:
    return letter.consumer in settings.letter_names


async def replay(
    js: JetStreamContext, conn: DbConnection, settings: Settings, letters: list[DeadLetter]
) -> list[Replayed]:
    jobs_letters, _ = settings.letter_names
    done: list[Replayed] = []
    for letter in letters:
        if not replayable(letter, settings):
            done.append(Replayed(letter, f"a letter of {letter.consumer}: not the projection's"))
            continue
        try:
            if letter.consumer == jobs_letters:
                await _restore_job(js, conn, letter)
            else:
                event = parse_account_event(letter.data)
                await apply_account_event(
                    event, letter.stream_seq, conn=conn, consumer=settings.accounts_consumer
                )
        except Exception as err:
            error = f"{type(err).__name__}: {err}"
            log.error("dead_letter.replay_failed", job_id=letter.job_id, error=error[:300])
            done.append(Replayed(letter, error))
            continue
        await remove_letter(js, letter)
        log.info("dead_letter.replayed", job_id=letter.job_id, consumer=letter.consumer)
        done.append(Replayed(letter, None))
    return done


async def _restore_job(js: JetStreamContext, conn: DbConnection, letter: DeadLetter) -> None:
    assert letter.job_id is not None
    async with conn.transaction():
        # Held until commit: the live projection's next event of this job waits, then applies
        # on top of what is written here (its seq is above the history read below).
        await repository.lock_job(conn, letter.job_id)
        state = fold(await read_history(js, letter.job_id))
        await repository.delete_job_row(conn, letter.job_id)
        if state is None:
            return  # expired meanwhile: nothing to show
        await repository.ensure_users(conn, {state.user_id: state.created_at})
        if state.result is not None:
            await repository.save_audio_files(conn, [state])
        await repository.save_jobs(conn, [state])
