"""``ttsjobs users``: create users, issue, list and revoke API keys.

These talk to NATS and PostgreSQL directly (an operator's job, not an API client's), found from
TTSJOBS_NATS_URL and TTSJOBS_DATABASE_URL, or from the ``stack.env`` that ``ttsjobs dev`` leaves
in its data dir.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from rich.table import Table

from ttsjobs.settings import CommonSettings, settings_with
from ttsjobs_cli.accounts import AccountError, Accounts, Issued, open_accounts
from ttsjobs_cli.client import CliError
from ttsjobs_cli.embedded.stack import read_stack_env
from ttsjobs_cli.safe_text import console, shown


def settings_for(data_dir: Path) -> CommonSettings:
    # What the environment says wins over what a local `ttsjobs dev` wrote down.
    embedded = {k: v for k, v in read_stack_env(data_dir).items() if k not in os.environ}
    return settings_with(embedded)


def run(action: str, args: argparse.Namespace, data_dir: Path) -> int:
    settings = settings_for(data_dir)

    async def go() -> int:
        async with open_accounts(settings) as accounts:
            return await _ACTIONS[action](accounts, args)

    try:
        return asyncio.run(go())
    except AccountError as err:
        raise CliError(str(err)) from err


async def _create(accounts: Accounts, args: argparse.Namespace) -> int:
    return _show_issued(await accounts.create_user(args.name, label=args.label))


async def _key(accounts: Accounts, args: argparse.Namespace) -> int:
    return _show_issued(await accounts.issue_key(args.name, label=args.label))


def _show_issued(issued: Issued) -> int:
    console.print(f"user [bold]{shown(issued.name)}[/bold] ({shown(issued.user_id)})")
    console.print(
        f"API key {shown(issued.key.key_id)}; it is shown this once, keep it somewhere safe:"
    )
    # Plain print: the key must come out whole, with nothing rich might wrap or colour.
    console.print(issued.key.key, highlight=False, soft_wrap=True, markup=False)
    if not issued.applied:
        console.print("[yellow]note:[/yellow] the projection has not applied it yet; it works "
                      "once the projection service runs")  # fmt: skip
    return 0


async def _list(accounts: Accounts, args: argparse.Namespace) -> int:
    table = Table("user", "key id", "label", "created", "revoked")
    for user in await accounts.users():
        if not user.keys:
            table.add_row(shown(user.name), "", "", f"{user.created_at:%Y-%m-%d %H:%M}", "")
        for key in user.keys:
            revoked = f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else ""
            names = map(shown, (user.name, key.key_id, key.label))
            table.add_row(*names, f"{key.created_at:%Y-%m-%d %H:%M}", revoked)
    console.print(table)
    return 0


async def _revoke(accounts: Accounts, args: argparse.Namespace) -> int:
    applied = await accounts.revoke_key(args.key_id)
    if applied:
        console.print(f"key {shown(args.key_id)} is revoked")
    else:
        console.print(f"key {shown(args.key_id)}: revocation stored; it takes effect once the "
                      "projection service applies it")  # fmt: skip
    return 0


_ACTIONS = {"create": _create, "key": _key, "list": _list, "revoke": _revoke}
