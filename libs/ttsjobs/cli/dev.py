"""``ttsjobs dev``: the embedded stack in the foreground, with the gateway's URL once ready.

This is a terminal program talking to a person, so it writes plain lines to stdout.
"""

from __future__ import annotations

import signal
from pathlib import Path

from ttsjobs.embedded.stack import Stack


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
        print(f"\nttsjobs is ready: open {stack.gateway_url}/  (API docs at /docs)\n", flush=True)
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
