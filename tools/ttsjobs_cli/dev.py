"""``ttsjobs dev``: the embedded stack in the foreground, supervised, with the gateway's URL once
the stack is usable.

This is a terminal program talking to a person, so it writes plain lines to stdout; restarts
and clean-ups are logged (structlog) beside the services' own logs.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

from ttsjobs.settings import settings_with
from ttsjobs_cli.accounts import open_accounts
from ttsjobs_cli.embedded.datadir import DataDirInUse, hold_lock, kill_leftovers, webhook_secret
from ttsjobs_cli.embedded.processes import wait_until
from ttsjobs_cli.embedded.stack import Stack
from ttsjobs_cli.embedded.supervisor import Supervisor, Watchdog

LOCAL_KEY_FILE = "local-api-key"
# Synthesis slots in `ttsjobs dev`: one more than a user may fill (TTSJOBS_PER_USER_LIMIT, 3),
# so that on its one synthesis process the limit shows (a user's fourth job waits while
# another user's starts) rather than hiding behind the service's default of two.
DEV_WORKER_SLOTS = 4


def dev_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """What `ttsjobs dev` sets for its services unless the environment says otherwise."""
    wanted = {"TTSJOBS_WORKER_SLOTS": str(DEV_WORKER_SLOTS)}
    return {name: value for name, value in wanted.items() if name not in environ}


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


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            return r.status == 200 and bool(json.loads(r.read()))
    except (OSError, ValueError):
        return False


def _start(stack: Stack) -> str:
    """Servers, then the workers, then the local user's key, and only then the gateway: its
    /readyz (and the line printed after it) must not promise a key file that is not there."""
    print(f"ttsjobs: starting servers (data in {stack.data_dir})", flush=True)
    stack.start_servers()
    stack.start_services(log_to_terminal=True, but=("gateway",))
    projection = stack.probe_ports["projection"]
    wait_until(lambda: _answers(projection), timeout_s=120, what="projection",
               proc=stack.services["projection"])  # fmt: skip
    key = local_api_key(stack)
    stack.start_service("gateway", log_to_terminal=True)
    stack.wait_ready()
    return key


def run_dev(*, port: int, data_dir: Path) -> int:
    data_dir = data_dir.resolve()
    try:
        lock_fd = hold_lock(data_dir)
    except DataDirInUse as exc:
        print(f"ttsjobs: {exc}", file=sys.stderr, flush=True)
        return 1
    kill_leftovers(data_dir)  # what an earlier dev, killed with its watchdog, left running
    watchdog = Watchdog(data_dir, lock_fd=lock_fd)
    stack = Stack(data_dir=data_dir, gateway_port=port, supervised=True, on_spawn=watchdog.register)
    if "TTSJOBS_WEBHOOK_SECRET" not in os.environ:
        stack.env["TTSJOBS_WEBHOOK_SECRET"] = webhook_secret(data_dir)
    stack.env.update(dev_settings(os.environ))

    def interrupted(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        key = _start(stack)
        print(
            f"\nttsjobs is ready: open {stack.gateway_url}/#key={key}\n"
            f"  API docs at {stack.gateway_url}/docs; the local user's API key is in "
            f"{stack.data_dir / LOCAL_KEY_FILE}\n",
            flush=True,
        )
        Supervisor(stack, watchdog, log_to_terminal=True).run()
        return 0  # run() returns only by an exception
    except KeyboardInterrupt:
        print("\nttsjobs: stopping", flush=True)
        return 0
    finally:
        # A second Ctrl-C (or a supervisor's repeated SIGTERM) must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        watchdog.release()
        os.close(lock_fd)
