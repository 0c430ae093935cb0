"""Which server the job commands talk to, and with which API key.

What the user says wins (``--url`` / TTSJOBS_URL, ``--api-key`` / TTSJOBS_API_KEY); then what a
local ``ttsjobs dev`` left in its data dir (found by locations.find_data_dir: TTSJOBS_DATA_DIR,
./.ttsjobs-data, then the per-user config), so ``ttsjobs jobs`` works from any directory and on
whatever port ``make run PORT=…`` chose; then the defaults of a plain ``ttsjobs dev``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ttsjobs_cli.locations import LOCAL_KEY_FILE, SERVER_FILE, find_data_dir, server_url

DEFAULT_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Connection:
    url: str
    api_key: str | None
    url_source: str | None
    """Where the URL was read, when the user did not give it: said when it does not answer."""


def _local_key(data_dir: Path) -> str | None:
    try:
        key = (data_dir / LOCAL_KEY_FILE).read_text().strip()
    except (OSError, UnicodeDecodeError):
        return None
    return key or None


def connection(
    *,
    url: str | None,
    api_key: str | None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Connection:
    """``url`` and ``api_key`` as given on the command line (None when not)."""
    env = os.environ if environ is None else environ
    url = url or env.get("TTSJOBS_URL") or None
    api_key = api_key or env.get("TTSJOBS_API_KEY") or None
    source = None
    data_dir = None if url and api_key else find_data_dir(cwd=cwd, environ=env)
    if data_dir is not None:
        if not url and (url := server_url(data_dir)):
            source = str(data_dir / SERVER_FILE)
        api_key = api_key or _local_key(data_dir)
    return Connection(url or DEFAULT_URL, api_key, source)
