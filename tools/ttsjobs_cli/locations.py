"""Where a local system lives, so that the CLI finds it from any directory.

``ttsjobs dev`` records the gateway's URL in its data dir (``server.json``) and the data dir
itself in a per-user config file, so a later ``ttsjobs jobs`` in another directory, another
terminal or another port still reaches it. The CLI looks for the data dir in this order:
``TTSJOBS_DATA_DIR``, ``./.ttsjobs-data``, then the per-user config. The key file and the URL
are then read from that data dir (``--url`` / ``TTSJOBS_URL`` and ``--api-key`` /
``TTSJOBS_API_KEY`` still win).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

DATA_DIR_ENV = "TTSJOBS_DATA_DIR"
DEFAULT_DATA_DIR_NAME = ".ttsjobs-data"
SERVER_FILE = "server.json"
LOCAL_KEY_FILE = "local-api-key"  # the local user's API key, which `ttsjobs dev` keeps
CONFIG_FILE = "config.json"


def user_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/ttsjobs/config.json``, else ``~/.config/ttsjobs/config.json``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ttsjobs" / CONFIG_FILE


def _write_json(path: Path, value: dict[str, object]) -> None:
    # Written whole then renamed: a CLI reading at the same moment never sees half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(value, ensure_ascii=False) + "\n")
    partial.replace(path)


def _read_json(path: Path) -> dict[str, object]:
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def record_server(data_dir: Path, url: str, *, environ: Mapping[str, str] | None = None) -> None:
    """What ``ttsjobs dev`` does once its gateway answers: the URL into the data dir, and the
    data dir into the per-user config (the latest ``dev`` started is the one found)."""
    data_dir = data_dir.resolve()
    _write_json(data_dir / SERVER_FILE, {"url": url, "pid": os.getpid()})
    _write_json(user_config_path(environ), {"data_dir": str(data_dir)})


def find_data_dir(
    *, cwd: Path | None = None, environ: Mapping[str, str] | None = None
) -> Path | None:
    """The data dir of the local system this CLI should talk to, if any."""
    env = os.environ if environ is None else environ
    if given := env.get(DATA_DIR_ENV):
        return Path(given)
    here = (cwd or Path.cwd()) / DEFAULT_DATA_DIR_NAME
    if here.is_dir():
        return here
    recorded = _read_json(user_config_path(env)).get("data_dir")
    if isinstance(recorded, str) and Path(recorded).is_dir():
        return Path(recorded)
    return None


def server_url(data_dir: Path) -> str | None:
    """The URL ``ttsjobs dev`` recorded in ``data_dir``, if it did."""
    url = _read_json(data_dir / SERVER_FILE).get("url")
    return url if isinstance(url, str) else None
