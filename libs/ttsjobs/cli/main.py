"""``ttsjobs``: ``ttsjobs dev`` starts the whole system on this machine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ttsjobs.cli.dev import run_dev


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ttsjobs", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    dev = commands.add_parser(
        "dev", help="start NATS, PostgreSQL, S3 and the three services; Ctrl-C stops them"
    )
    dev.add_argument("--port", type=int, default=8000, help="gateway port (default 8000)")
    dev.add_argument(
        "--data-dir",
        type=Path,
        default=Path(".ttsjobs-data"),
        help="where jobs, audio and logs live; a restart keeps them (default ./.ttsjobs-data)",
    )
    args = parser.parse_args(argv)
    if args.command == "dev":
        return run_dev(port=args.port, data_dir=args.data_dir)
    return 2


if __name__ == "__main__":
    sys.exit(main())
