"""``ttsjobs submit``: files read and sent as jobs. A ``.json`` file is a request as the API
takes it; any other file is a script (or, with --text, a long text for one voice). Problems
with the file itself (missing, a folder, not UTF-8, not JSON) are said before any request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ttsjobs.contracts.script import parse_script
from ttsjobs_cli.client import Api, CliError
from ttsjobs_cli.commands import watch
from ttsjobs_cli.safe_text import console, shown


def read_dialogue(path: Path) -> dict[str, Any]:
    try:
        body = json.loads(path.read_text())
    except FileNotFoundError as err:
        raise CliError(f"{path}: no such file") from err
    except IsADirectoryError as err:
        raise CliError(f"{path}: a directory, not a JSON request") from err
    except UnicodeDecodeError as err:
        raise CliError(f"{path}: not UTF-8") from err
    except json.JSONDecodeError as err:
        raise CliError(f"{path}: not JSON ({err.msg} at line {err.lineno})") from err
    if not isinstance(body, dict):
        raise CliError(f"{path}: expected a JSON object with provider, turns, voice_assignments")
    return body


def read_script(path: Path) -> bytes:
    try:
        return path.read_bytes()  # sent as it is: the gateway reads it, and names bad lines
    except FileNotFoundError as err:
        raise CliError(f"{path}: no such file") from err
    except IsADirectoryError as err:
        raise CliError(f"{path}: a directory, not a script") from err


def _has_title(script: bytes) -> bool:
    """Whether the script names its own title (a first line ``# 晨間節目``), read as the
    gateway reads it; one it cannot read is sent anyway, for the gateway to name its faults."""
    try:
        return parse_script(script.decode("utf-8-sig")).title is not None
    except ValueError:  # not UTF-8, or ScriptProblems: the gateway names them
        return False


def submit_file(api: Api, path: Path, fields: dict[str, Any]) -> dict[str, Any]:
    """A .json file is a request as the API takes it; any other file is a script (``Alice:
    Hello.`` lines, see the README). ``fields`` (title, provider, output_format) override."""
    if path.suffix.lower() == ".json":
        return api.submit({**read_dialogue(path), **fields})
    script = read_script(path)
    # A script's job is titled by its "# title" line, else by its file: a list stays readable.
    default = {} if _has_title(script) else {"title": path.stem}
    return api.submit_script(script, {**default, **fields})


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise CliError(f"{path}: no such file") from err
    except IsADirectoryError as err:
        raise CliError(f"{path}: a directory, not a text") from err
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise CliError(f"{path}: not UTF-8 (line {line})") from err


def submit_text(api: Api, path: Path, fields: dict[str, Any]) -> dict[str, Any]:
    """A long text for one voice (single_tts), titled by its file unless told otherwise."""
    return api.submit_text({"title": path.stem, **fields, "text": read_text(path)})


def submit(
    api: Api,
    files: list[Path],
    *,
    wait: bool,
    fields: dict[str, Any] | None = None,
    text: dict[str, Any] | None = None,
) -> int:
    """Each file as a job; with ``text`` (the voice fields), each is a long text for one voice."""
    if text is None:
        jobs = [(path, submit_file(api, path, fields or {})) for path in files]
    else:
        jobs = [(path, submit_text(api, path, {**(fields or {}), **text})) for path in files]
    for path, job in jobs:
        console.print(
            f"[bold]{shown(job['id'])}[/bold]  {shown(path.name)}  {shown(job['status'])}"
        )
    if not wait:
        return 0
    return watch(api, [job for _, job in jobs])
