"""``ttsjobs``: ``ttsjobs dev`` starts the whole system on this machine; ``ttsjobs users`` manages
accounts; the other commands talk to a running system (``--url``, or TTSJOBS_URL, default
http://127.0.0.1:8000) with an API key (``--api-key``, TTSJOBS_API_KEY, or the local user's key
that ``ttsjobs dev`` keeps in ./.ttsjobs-data)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from ttsjobs.contracts.job_request import OutputFormat
from ttsjobs_cli import commands, lexicons, operations, users
from ttsjobs_cli.client import Api, CliError
from ttsjobs_cli.dev import LOCAL_KEY_FILE, run_dev
from ttsjobs_cli.safe_text import console, shown

DEFAULT_DATA_DIR = Path(".ttsjobs-data")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ttsjobs", description=__doc__)
    parser.add_argument("--url", default=os.environ.get("TTSJOBS_URL", "http://127.0.0.1:8000"))
    parser.add_argument(
        "--api-key",
        default=os.environ.get("TTSJOBS_API_KEY"),
        help="API key (default: TTSJOBS_API_KEY, else the one `ttsjobs dev` keeps locally)",
    )
    commands_ = parser.add_subparsers(dest="command", required=True)
    dev = commands_.add_parser(
        "dev", help="start NATS, PostgreSQL, S3 and the three services; Ctrl-C stops them"
    )
    dev.add_argument("--port", type=int, default=8000, help="gateway port (default 8000)")
    dev.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="where jobs, audio and logs live; a restart keeps them (default ./.ttsjobs-data)",
    )
    submit = commands_.add_parser(
        "submit",
        help="submit files as jobs: JSON requests (.json) or scripts (any other); with --text,"
        " long texts read by one voice",
    )
    submit.add_argument("files", type=Path, nargs="+")
    submit.add_argument("--wait", action="store_true", help="show live progress until they end")
    submit.add_argument("--title", help="the job's title (a script's default: its file name)")
    submit.add_argument("--provider", help="the engine (default: the best that casts every role)")
    submit.add_argument("--output-format", choices=[f.value for f in OutputFormat])
    submit.add_argument(
        "--lexicon", action="append", dest="lexicons", metavar="NAME",
        help="a lexicon of yours (`ttsjobs lexicons`) the job uses; repeat: the first wins",
    )  # fmt: skip
    text = submit.add_argument_group("long texts (single_tts)")
    text.add_argument("--text", action="store_true", help="each file is a text for one voice")
    text.add_argument("--voice", help="the voice (default: cast from the text's language)")
    text.add_argument("--language", help="cast a voice for this BCP 47 language: zh-TW, en")
    text.add_argument("--gender", choices=["female", "male"], help="cast a voice of this gender")
    text.add_argument("--speed", type=float, help="1.0 is the voice's own pace")
    jobs = commands_.add_parser("jobs", help="list recent jobs, newest first")
    jobs.add_argument("--limit", type=int, default=20)
    jobs.add_argument(
        "--status", choices=["pending", "processing", "completed", "failed", "cancelled"]
    )
    show = commands_.add_parser("show", help="a job with its parameters and result")
    show.add_argument("job_id")
    download = commands_.add_parser("download", help="save a completed job's audio")
    download.add_argument("job_id")
    download.add_argument("-o", "--output", type=Path)
    cancel = commands_.add_parser("cancel", help="cancel a pending or processing job")
    cancel.add_argument("job_id")
    voices = commands_.add_parser("voices", help="providers, or voices by provider and filters")
    voices.add_argument("provider", nargs="?")
    voices.add_argument("--language", help="BCP 47 prefix: zh, en-GB, …")
    voices.add_argument("--gender", choices=["female", "male"])
    lexicons.add_parser(commands_)
    _users_parser(commands_)
    setup = commands_.add_parser(
        "setup", help="create the streams, the S3 bucket and the tables (idempotent)"
    )
    setup.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    projection = commands_.add_parser(
        "projection", help="operate the read model (needs NATS and PostgreSQL, like `users`)"
    )
    projection.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    projection_actions = projection.add_subparsers(dest="action", required=True)
    projection_actions.add_parser(
        "rebuild",
        help="replay the streams into fresh tables and swap them in; reads keep working",
    )
    letters = projection_actions.add_parser(
        "dead-letters", help="list the events the projection gave up on (see `replay`)"
    )
    letters_actions = letters.add_subparsers(dest="letters_action")
    replay = letters_actions.add_parser(
        "replay", help="apply dead letters again after a fix; each that applies is removed"
    )
    replay.add_argument("ids", nargs="*", type=int, help="letter ids, as listed")
    replay.add_argument("--all", action="store_true", help="every dead letter of the projection")
    return parser


def _users_parser(commands_: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = commands_.add_parser(
        "users",
        help="create users and manage their API keys (needs NATS and PostgreSQL: "
        "TTSJOBS_NATS_URL and TTSJOBS_DATABASE_URL, or a local `ttsjobs dev`)",
    )
    users.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    actions = users.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="a new user and their first API key")
    create.add_argument("name")
    create.add_argument("--label", default="", help="what the key is for")
    key = actions.add_parser("key", help="another API key for a user")
    key.add_argument("name")
    key.add_argument("--label", default="", help="what the key is for")
    actions.add_parser("list", help="users and their keys (ids only; keys are never stored)")
    revoke = actions.add_parser("revoke", help="stop an API key from working")
    revoke.add_argument("key_id")


def _api_key(given: str | None) -> str | None:
    if given:
        return given
    local = DEFAULT_DATA_DIR / LOCAL_KEY_FILE
    return local.read_text().strip() if local.exists() else None


def _failed(err: CliError) -> int:
    # The message may quote the server and the user (a title, a path): shown as text.
    console.print(f"[red]error:[/red] {shown(err, lines=True)}", highlight=False)
    return err.exit_code


def main(argv: list[str] | None = None) -> int:
    # Started in the background by a non-interactive shell (`ttsjobs dev &`), a program inherits
    # SIGINT ignored, and Python then never raises KeyboardInterrupt: dev and rebuild would not
    # stop on SIGINT, and every server they started would outlive them.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    args = _parser().parse_args(argv)
    if args.command == "dev":
        return run_dev(port=args.port, data_dir=args.data_dir)
    if args.command == "users":
        try:
            return users.run(args.action, args, args.data_dir)
        except CliError as err:
            return _failed(err)
    if args.command == "setup":
        return operations.setup(args.data_dir)
    if args.command == "projection" and args.action == "dead-letters":
        if args.letters_action == "replay" and not (args.ids or args.all):
            console.print("[red]error:[/red] name letter ids, or --all")
            return 2
        replay = args.ids if args.letters_action == "replay" else None
        every = args.letters_action == "replay" and args.all
        return operations.dead_letters(args.data_dir, replay=replay, every=every)
    if args.command == "projection":
        return operations.rebuild_projection(args.data_dir)
    api = Api(args.url, api_key=_api_key(args.api_key))
    try:
        if args.command == "submit":
            fields = {"title": args.title, "provider": args.provider,
                      "output_format": args.output_format}  # fmt: skip
            given = {name: value for name, value in fields.items() if value is not None}
            if args.lexicons:  # a script sends them in the query, one name each
                given["lexicons"] = args.lexicons
            reader = {"voice": args.voice, "language": args.language, "gender": args.gender,
                      "speed": args.speed}  # fmt: skip
            voice = {name: value for name, value in reader.items() if value is not None}
            if voice and not args.text:
                console.print(f"[red]error:[/red] --{next(iter(voice))} is for --text")
                return 2
            if args.text:
                return commands.submit(api, args.files, wait=args.wait, fields=given, text=voice)
            return commands.submit(api, args.files, wait=args.wait, fields=given)
        if args.command == "jobs":
            return commands.list_jobs(api, limit=args.limit, status=args.status)
        if args.command == "show":
            return commands.show(api, args.job_id)
        if args.command == "download":
            return commands.download(api, args.job_id, args.output)
        if args.command == "cancel":
            return commands.cancel(api, args.job_id)
        if args.command == "lexicons":
            return lexicons.run(api, args)
        if args.command == "voices":
            return commands.voices(api, args.provider, language=args.language, gender=args.gender)
    except CliError as err:
        return _failed(err)
    finally:
        api.close()
    return 2


if __name__ == "__main__":
    sys.exit(main())
