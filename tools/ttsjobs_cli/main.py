"""``ttsjobs``: runs the command arguments.py reads, and turns every failure into a message.

A person at a terminal never sees a traceback: a refused request, a server that is down, a
missing file or a bug each end in one ``error:`` line and a non-zero exit. TTSJOBS_DEBUG=1
shows the traceback of an unexpected error, for a bug report.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import traceback

from ttsjobs_cli import commands, lexicons, submitting
from ttsjobs_cli.arguments import parser
from ttsjobs_cli.client import Api, CliError
from ttsjobs_cli.connection import connection
from ttsjobs_cli.safe_text import console, shown


def _failed(err: CliError) -> int:
    # The message may quote the server and the user (a title, a path): shown as text.
    console.print(f"[red]error:[/red] {shown(err, lines=True)}", highlight=False)
    return err.exit_code


def _submit(api: Api, args: argparse.Namespace) -> int:
    fields = {"title": args.title, "provider": args.provider,
              "output_format": args.output_format, "bitrate_kbps": args.bitrate_kbps,
              "mastering": args.mastering}  # fmt: skip
    given = {name: value for name, value in fields.items() if value is not None}
    if args.lexicons:  # a script sends them in the query, one name each
        given["lexicons"] = args.lexicons
    reader = {"voice": args.voice, "language": args.language, "gender": args.gender,
              "speed": args.speed}  # fmt: skip
    voice = {name: value for name, value in reader.items() if value is not None}
    if voice and not args.text:
        raise CliError(f"--{next(iter(voice))} is for --text", exit_code=2)
    if args.text:
        return submitting.submit(api, args.files, wait=args.wait, fields=given, text=voice)
    return submitting.submit(api, args.files, wait=args.wait, fields=given)


def _job_command(api: Api, args: argparse.Namespace) -> int:
    if args.command == "submit":
        return _submit(api, args)
    if args.command == "jobs":
        return commands.list_jobs(api, limit=args.limit, status=args.status, search=args.search)
    if args.command == "show":
        return commands.show(api, args.job_id, as_json=args.json)
    if args.command == "follow":
        return commands.follow(api, args.job_id)
    if args.command == "download":
        return commands.download(api, args.job_id, args.output)
    if args.command == "cancel":
        return commands.cancel(api, args.job_id)
    if args.command == "delete":
        return commands.delete(api, args.job_id)
    if args.command == "lexicons":
        return lexicons.run(api, args)
    if args.command == "voices":
        return commands.voices(api, args.provider, language=args.language, gender=args.gender)
    raise CliError(f"no command {args.command!r}", exit_code=2)


def _operator_command(args: argparse.Namespace) -> int:
    # Imported here: NATS, PostgreSQL and the event contracts are half a second of start-up
    # that the job commands, which only speak HTTP, do not need.
    from ttsjobs_cli import operations, users
    from ttsjobs_cli.dev import run_dev

    if args.command == "dev":
        json_logs = args.log_format == "json"
        return run_dev(
            port=args.port, data_dir=args.data_dir, json_logs=json_logs, cluster=args.cluster
        )
    if args.command == "users":
        return users.run(args.action, args, args.data_dir)
    if args.command == "setup":
        return operations.setup(args.data_dir)
    if args.action == "dead-letters":
        if args.letters_action == "replay" and not (args.ids or args.all):
            raise CliError("name letter ids, or --all", exit_code=2)
        replay = args.ids if args.letters_action == "replay" else None
        every = args.letters_action == "replay" and args.all
        return operations.dead_letters(args.data_dir, replay=replay, every=every)
    return operations.rebuild_projection(args.data_dir)


OPERATOR_COMMANDS = ("dev", "users", "setup", "projection")


def _run(args: argparse.Namespace) -> int:
    if args.command in OPERATOR_COMMANDS:
        return _operator_command(args)
    found = connection(url=args.url, api_key=args.api_key)
    api = Api(found.url, api_key=found.api_key, url_source=found.url_source)
    try:
        return _job_command(api, args)
    finally:
        api.close()


def _unexpected(err: BaseException) -> int:
    if os.environ.get("TTSJOBS_DEBUG"):
        traceback.print_exception(err)
    else:
        # Said plainly: most are a server or a file the command could not use (a database
        # that is down, a disk that is full), which the message names.
        console.print(
            f"[red]error:[/red] {shown(type(err).__name__)}: {shown(err, lines=True)}\n"
            "(TTSJOBS_DEBUG=1 shows where it happened, for a bug report)",
            highlight=False,
        )
    return 1


def main(argv: list[str] | None = None) -> int:
    # Started in the background by a non-interactive shell (`ttsjobs dev &`), a program inherits
    # SIGINT ignored, and Python then never raises KeyboardInterrupt: dev and rebuild would not
    # stop on SIGINT, and every server they started would outlive them.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    args = parser().parse_args(argv)
    try:
        return _run(args)
    except CliError as err:
        return _failed(err)
    except KeyboardInterrupt:
        console.print("stopped")
        return 130
    except BrokenPipeError:
        # `ttsjobs jobs | head -3`: the reader left. Python would report the failed flush of
        # stdout at exit; pointed at /dev/null, stdout has nothing left to fail on.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for SIGPIPE
    except (Exception, asyncio.CancelledError) as err:  # the promise above: no traceback
        return _unexpected(err)


if __name__ == "__main__":
    sys.exit(main())
