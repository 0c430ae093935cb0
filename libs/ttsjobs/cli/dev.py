"""``ttsjobs dev``: the embedded stack in the foreground, with the gateway's URL once ready.

This is a terminal program talking to a person, so it writes plain lines to stdout.
"""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from ttsjobs.accounts.admin import open_accounts
from ttsjobs.embedded.stack import Stack
from ttsjobs.settings import settings_with

LOCAL_KEY_FILE = "local-api-key"


def local_api_key(stack: Stack) -> str:
    """The key of the single local user, made on first start and kept in the data dir.

    The URL printed with it carries the key in its fragment, which browsers never send to a
    server, so the web app can pick it up without the key reaching a log.
    """
    path = stack.data_dir / LOCAL_KEY_FILE
    remembered = path.read_text().strip() if path.exists() else None
    settings = settings_with(stack.env)

    async def get() -> str:
        async with open_accounts(settings) as accounts:
            return await accounts.local_key(remembered)

    key = asyncio.run(get())
    if key != remembered:
        path.touch(mode=0o600)
        path.write_text(key + "\n")
    return key


def run_dev(*, port: int, data_dir: Path) -> int:
    stack = Stack(data_dir=data_dir.resolve(), gateway_port=port)

    def interrupted(signum, _frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        print(f"ttsjobs: starting servers (data in {stack.data_dir})", flush=True)
        stack.start_servers()
        stack.start_services(log_to_terminal=True)
        stack.wait_ready()
        key = local_api_key(stack)
        print(
            f"\nttsjobs is ready: open {stack.gateway_url}/#key={key}\n"
            f"  API docs at {stack.gateway_url}/docs; the local user's API key is in "
            f"{stack.data_dir / LOCAL_KEY_FILE}\n",
            flush=True,
        )
        exited = stack.supervise()
        print(f"ttsjobs: {exited} stopped unexpectedly; shutting down", flush=True)
        return 1
    except KeyboardInterrupt:
        print("\nttsjobs: stopping", flush=True)
        return 0
    finally:
        # A second Ctrl-C (or a supervisor's repeated SIGTERM) must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
