"""``ttsjobs lexicons``: put, list, get and delete your pronunciation lexicons (W3C PLS or JSON).

Like the job commands, it prints with rich, every string the server sends through ``shown``,
and exits non-zero on failure. An exported lexicon goes to a file (``-o``) byte for byte, or
to stdout as text without the controls a terminal would obey.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.highlighter import JSONHighlighter
from rich.table import Table

from ttsjobs_cli.client import Api, CliError
from ttsjobs_cli.safe_text import console, json_shown, plain, shown

PLS = "application/pls+xml"
CONTENT_TYPES = {".pls": PLS, ".xml": PLS, ".json": "application/json"}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lexicons = commands.add_parser(
        "lexicons", help="your pronunciation lexicons (W3C PLS or JSON), for jobs' --lexicon"
    )
    actions = lexicons.add_subparsers(dest="action", required=True)
    put = actions.add_parser("put", help="create or replace a lexicon from a .pls/.xml/.json file")
    put.add_argument("name")
    put.add_argument("file", type=Path)
    actions.add_parser("list", help="your lexicons")
    get = actions.add_parser(
        "get", help="a lexicon as JSON, or as PLS with --pls, in the form `put` takes back"
    )
    get.add_argument("name")
    get.add_argument("--pls", action="store_true", help="W3C PLS 1.0 instead of JSON")
    get.add_argument("-o", "--output", type=Path, help="save to this file")
    delete = actions.add_parser("delete", help="delete a lexicon (jobs keep what they used)")
    delete.add_argument("name")


def run(api: Api, args: argparse.Namespace) -> int:
    if args.action == "put":
        return put(api, args.name, args.file)
    if args.action == "list":
        return list_lexicons(api)
    if args.action == "get":
        return get(api, args.name, pls=args.pls, output=args.output)
    return delete(api, args.name)


def _path(name: str) -> str:
    return f"/api/v1/lexicons/{name}"


def put(api: Api, name: str, file: Path) -> int:
    content_type = CONTENT_TYPES.get(file.suffix.lower())
    if content_type is None:
        raise CliError(f"{file}: a lexicon is a .pls, .xml or .json file")
    try:
        body = file.read_bytes()
    except FileNotFoundError as err:
        raise CliError(f"{file}: no such file") from err
    response = api.request("PUT", _path(name), content=body, headers={"Content-Type": content_type})
    summary: dict[str, Any] = response.json()
    done = "created" if response.status_code == 201 else "replaced"
    console.print(
        f"{done} lexicon {shown(summary['name'])}: {summary['entry_count']} entries, "
        f"{shown(summary['alphabet'])}, {summary['size_bytes']} bytes"
    )
    return 0


def list_lexicons(api: Api) -> int:
    listed = api.request("GET", "/api/v1/lexicons").json()["lexicons"]
    if not listed:
        console.print("no lexicons yet; `ttsjobs lexicons put NAME FILE` adds one")
        return 0
    table = Table("name", "language", "alphabet", "entries", "bytes", "updated")
    for lexicon in listed:
        table.add_row(
            shown(lexicon["name"]), shown(lexicon["language"] or ""), shown(lexicon["alphabet"]),
            str(lexicon["entry_count"]), str(lexicon["size_bytes"]),
            shown(lexicon["updated_at"][:16].replace("T", " ")),
        )  # fmt: skip
    console.print(table)
    return 0


def get(api: Api, name: str, *, pls: bool, output: Path | None) -> int:
    # The download forms: what is saved (or printed) here, `lexicons put` takes back.
    response = api.request("GET", _path(name), params={"format": "pls" if pls else "json"})
    if output is not None:
        output.write_bytes(response.content)
        console.print(f"saved {shown(output)}")
    elif pls:
        sys.stdout.write(plain(response.text, lines=True) + "\n")
    else:
        console.print(JSONHighlighter()(json_shown(json.loads(response.content))), soft_wrap=True)
    return 0


def delete(api: Api, name: str) -> int:
    api.request("DELETE", _path(name))
    console.print(f"deleted lexicon {shown(name)}")
    return 0
