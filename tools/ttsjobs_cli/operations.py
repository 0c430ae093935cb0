"""Operator commands: ``ttsjobs setup`` (streams, KV and S3 buckets, tables, once before the
services), ``ttsjobs projection rebuild`` (the read model replayed from the streams and swapped
in) and ``ttsjobs projection dead-letters [replay ID…|--all]`` (the events the projection gave
up on)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from ttsjobs_cli.client import CliError
from ttsjobs_cli.safe_text import console, shown
from ttsjobs_cli.users import settings_for

if TYPE_CHECKING:
    import asyncpg
    from nats.aio.client import Client as Nats

    from ttsjobs.messaging.dead_letters import DeadLetter
    from ttsjobs_projection.config import Settings as ProjectionSettings
    from ttsjobs_projection.letters import Replayed


def _projection_settings(data_dir: Path) -> ProjectionSettings:
    from ttsjobs_projection.config import Settings

    common = settings_for(data_dir)
    return Settings(**{k: v for k, v in common.model_dump().items() if k in Settings.model_fields})


async def _nats(url: str) -> Nats:
    """NATS for one short command: a server that is down is said at once, not after the
    client's two minutes of retries (and without its logged traceback for each)."""
    import nats

    from ttsjobs.settings import nats_servers

    async def quiet(_: Exception) -> None:
        pass

    try:
        # One retry, half a second on: the client's own first connect otherwise tries 60 times,
        # two seconds apart, whatever allow_reconnect says.
        return await nats.connect(
            nats_servers(url), connect_timeout=10, max_reconnect_attempts=1,
            reconnect_time_wait=0.5, error_cb=quiet,
        )  # fmt: skip
    except Exception as err:
        raise CliError(
            f"cannot reach NATS at {url}: {err or type(err).__name__}", exit_code=2
        ) from err


async def _postgres(url: str) -> asyncpg.Connection:
    import asyncpg

    try:
        return await asyncpg.connect(url, timeout=10)
    except (OSError, TimeoutError, asyncpg.PostgresError) as err:
        raise CliError(
            f"cannot reach PostgreSQL: {type(err).__name__}: {err}", exit_code=2
        ) from err


def rebuild_projection(data_dir: Path) -> int:
    from ttsjobs_projection.rebuild import rebuild

    settings = _projection_settings(data_dir)
    try:
        report = asyncio.run(rebuild(settings))
    except (OSError, TimeoutError) as err:
        raise CliError(f"cannot reach PostgreSQL or NATS: {err}", exit_code=2) from err
    except KeyboardInterrupt:
        console.print("rebuild stopped; its consumers and schema were removed")
        return 130
    console.print(
        f"rebuilt the read model: {report.events_replayed} events replayed, "
        f"{report.events_caught_up} caught up after the swap, {report.jobs} jobs; "
        f"readers waited at most {report.swap_ms:.0f} ms for the swap"
    )
    return 0


def dead_letters(data_dir: Path, *, replay: list[int] | None = None, every: bool = False) -> int:
    """List the projection's dead letters, or replay the given ones (or all) and remove each
    that applies now. Exit 1 if any replayed letter still fails."""
    from ttsjobs.messaging.topology import ensure_streams
    from ttsjobs_projection import letters

    settings = _projection_settings(data_dir)

    async def go() -> int:
        nc = await _nats(settings.nats_url)
        try:
            js = nc.jetstream()
            await ensure_streams(
                js, retention=settings.retention, replicas=settings.stream_replicas
            )
            found = await letters.every_letter(js)
            if replay is None and not every:
                _print_letters(found)
                return 0
            chosen = (
                [x for x in found if letters.replayable(x, settings)]
                if every
                else [x for x in found if x.letter_seq in set(replay or [])]
            )
            missing = set(replay or []) - {x.letter_seq for x in chosen}
            for seq in sorted(missing):
                console.print(f"no dead letter {seq}")
            conn = await _postgres(settings.database_url.get_secret_value())
            try:
                results = await letters.replay(js, conn, settings, chosen)
            finally:
                await conn.close()
        finally:
            await nc.close()
        _print_replayed(results)
        return 1 if missing or any(r.error for r in results) else 0

    return asyncio.run(go())


def _print_replayed(results: list[Replayed]) -> None:
    for result in results:
        letter = result.letter
        what = f"{letter.letter_seq} ({shown(letter.event_type)}, job {shown(letter.job_id)})"
        if result.error is None:
            console.print(f"replayed {what}: applied, letter removed", highlight=False)
        else:
            error = shown(result.error)
            console.print(f"[red]still failing[/red] {what}: {error}", highlight=False)


def _print_letters(found: list[DeadLetter]) -> None:
    # One line per letter (and its error below), so that it reads the same piped or wrapped.
    if not found:
        console.print("no dead letters")
        return
    for x in found:
        console.print(
            f"{x.letter_seq}  {shown(x.consumer)}  job {shown(x.job_id or '-')}"
            f"  {shown(x.event_type or '-')}"
            f"  stream seq {x.stream_seq}  {x.attempts} attempts"
            f"  {x.dead_lettered_at.isoformat(timespec='seconds')}",
            highlight=False, soft_wrap=True,
        )  # fmt: skip
        console.print(f"    {shown(x.error[:500])}", highlight=False, soft_wrap=True)
    console.print(f"{len(found)} dead letter(s); replay with: ttsjobs projection dead-letters "
                  "replay ID… | --all")  # fmt: skip


def setup(data_dir: Path) -> int:
    """Idempotent: the JetStream streams and shared KV buckets, the S3 bucket and the
    PostgreSQL schema. Each service also makes what it needs at start; this makes it all once,
    before any of them (compose's and Kubernetes' one-shot setup job)."""
    from ttsjobs.storage import ensure_bucket, s3_client
    from ttsjobs_cli.shared_nats_state import create_shared_state
    from ttsjobs_projection.schema import migrate

    settings = settings_for(data_dir)

    async def go() -> list[int]:
        nc = await _nats(settings.nats_url)
        try:
            await create_shared_state(
                nc.jetstream(timeout=30),
                retention=settings.retention,
                replicas=settings.stream_replicas,
            )
        finally:
            await nc.close()
        conn = await _postgres(settings.database_url.get_secret_value())
        try:
            return await migrate(conn)
        finally:
            await conn.close()

    migrations = asyncio.run(go())
    ensure_bucket(s3_client(settings), settings.s3_bucket)
    console.print(
        f"streams and buckets ready ({settings.stream_replicas} replica(s)), S3 bucket"
        f" {settings.s3_bucket} "
        f"ready, migrations applied now: {migrations or 'none'}"
    )
    return 0
