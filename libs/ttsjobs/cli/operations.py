"""``ttsjobs projection rebuild``: the read model replayed from the streams and swapped in."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console

from ttsjobs.cli.users import settings_for

console = Console()


def rebuild_projection(data_dir: Path) -> int:
    from ttsjobs_projection.config import Settings
    from ttsjobs_projection.rebuild import rebuild

    common = settings_for(data_dir)
    settings = Settings(
        **{k: v for k, v in common.model_dump().items() if k in Settings.model_fields}
    )
    report = asyncio.run(rebuild(settings))
    console.print(
        f"rebuilt the read model: {report.events_replayed} events replayed, "
        f"{report.events_caught_up} caught up after the swap, {report.jobs} jobs; "
        f"readers waited at most {report.swap_ms:.0f} ms for the swap"
    )
    return 0
