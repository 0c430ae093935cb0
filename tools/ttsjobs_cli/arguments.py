"""The ``ttsjobs`` command line: every command, option and help text, and nothing that runs
them (main.py does)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ttsjobs.contracts.job_request import Mastering, OutputFormat
from ttsjobs_cli import lexicons
from ttsjobs_cli.locations import DEFAULT_DATA_DIR_NAME, find_data_dir

DESCRIPTION = """\
`ttsjobs dev` starts the whole system on this machine; `ttsjobs users` manages accounts; the
other commands talk to a running system with an API key. Both are found without options when a
local `ttsjobs dev` runs (see --url and --api-key). A job id may be typed as a unique start of
it, as `ttsjobs jobs` shows it."""
STATUSES = ["pending", "processing", "completed", "failed", "cancelled"]
JOB_ID_HELP = "a job id, or a unique start of one (as `ttsjobs jobs` shows it)"
DATA_DIR_HELP = (
    "the local system's data dir (default: TTSJOBS_DATA_DIR, ./.ttsjobs-data, or the"
    " one `ttsjobs dev` last ran with)"
)


def local_data_dir() -> Path:
    """The operator commands' default data dir: the local system's, wherever it was found."""
    return find_data_dir() or Path(DEFAULT_DATA_DIR_NAME)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ttsjobs", description=DESCRIPTION)
    parser.add_argument(
        "--url",
        help="the gateway (default: TTSJOBS_URL, else the URL the local `ttsjobs dev` recorded,"
        " else http://127.0.0.1:8000)",
    )
    parser.add_argument(
        "--api-key",
        help="API key (default: TTSJOBS_API_KEY, else the one `ttsjobs dev` keeps locally)",
    )
    commands_ = parser.add_subparsers(dest="command", required=True)
    dev = commands_.add_parser(
        "dev", help="start NATS, PostgreSQL, S3 and the three services; Ctrl-C stops them"
    )
    dev.add_argument("--port", type=int, default=8000, help="gateway port (default 8000)")
    dev.add_argument(
        "--cluster",
        action="store_true",
        help="the layout deploy/k8s runs: 3 NATS nodes at 3 replicas, two gateways behind a "
        "front on --port, two synthesis, two notifiers",
    )
    dev.add_argument(
        "--data-dir",
        type=Path,
        default=Path(DEFAULT_DATA_DIR_NAME),
        help="where jobs, audio and logs live; a restart keeps them (default ./.ttsjobs-data)",
    )
    dev.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="text: a short status, the logs in <data dir>/logs/ (default); json: the logs' JSON "
        "lines on stdout",
    )
    submit = commands_.add_parser(
        "submit",
        help="submit files as jobs: JSON requests (.json) or scripts (any other); with --text,"
        " long texts read by one voice",
    )
    submit.add_argument("files", type=Path, nargs="+")
    submit.add_argument("--wait", action="store_true", help="show live progress until they end")
    submit.add_argument(
        "--title",
        help="the job's title (a script's default: its \"# title\" line, else its file name)",
    )
    submit.add_argument("--provider", help="the engine (default: the best that casts every role)")
    submit.add_argument("--output-format", choices=[f.value for f in OutputFormat])
    submit.add_argument(
        "--bitrate", type=int, dest="bitrate_kbps", metavar="KBPS",
        help="kb/s for mp3 (32-320), opus (16-256) or m4a (32-192)",
    )  # fmt: skip
    submit.add_argument(
        "--mastering", choices=[m.value for m in Mastering],
        help="podcast: -16 LUFS, peaks under -1 dBTP; audiobook: ACX's limits (default none)",
    )  # fmt: skip
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
    _job_parsers(commands_)
    voices = commands_.add_parser("voices", help="providers, or voices by provider and filters")
    voices.add_argument("provider", nargs="?")
    voices.add_argument("--language", help="BCP 47 prefix: zh, en-GB, …")
    voices.add_argument("--gender", choices=["female", "male"])
    lexicons.add_parser(commands_)
    _users_parser(commands_)
    setup = commands_.add_parser(
        "setup", help="create the streams, the S3 bucket and the tables (idempotent)"
    )
    setup.add_argument("--data-dir", type=Path, default=local_data_dir(), help=DATA_DIR_HELP)
    projection = commands_.add_parser(
        "projection", help="operate the read model (needs NATS and PostgreSQL, like `users`)"
    )
    projection.add_argument("--data-dir", type=Path, default=local_data_dir(), help=DATA_DIR_HELP)
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
    users.add_argument("--data-dir", type=Path, default=local_data_dir(), help=DATA_DIR_HELP)
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


def _job_parsers(commands_: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    jobs = commands_.add_parser("jobs", help="list your jobs, newest first")
    jobs.add_argument("--limit", type=int, default=20, help="at most this many (1-100)")
    jobs.add_argument("--status", choices=STATUSES)
    jobs.add_argument("--search", metavar="TEXT", help="only jobs whose title or text holds it")
    show = commands_.add_parser("show", help="a job: its voices, times, audio and files")
    show.add_argument("job_id", help=JOB_ID_HELP)
    show.add_argument("--json", action="store_true", help="the API's view of it, as JSON")
    follow = commands_.add_parser("follow", help="live progress of a job until it ends")
    follow.add_argument("job_id", help=JOB_ID_HELP)
    download = commands_.add_parser("download", help="save a completed job's audio")
    download.add_argument("job_id", help=JOB_ID_HELP)
    download.add_argument(
        "-o", "--output", metavar="FILE|DIR/",
        help="this file, or into this folder (an existing one, or a path ending in /) under"
        " the server's file name (default: here, under that name)",
    )  # fmt: skip
    cancel = commands_.add_parser("cancel", help="cancel a pending or processing job")
    cancel.add_argument("job_id", help=JOB_ID_HELP)
    delete = commands_.add_parser(
        "delete", help="delete a finished job with its audio and captions (cancels one unfinished)"
    )
    delete.add_argument("job_id", help=JOB_ID_HELP)
