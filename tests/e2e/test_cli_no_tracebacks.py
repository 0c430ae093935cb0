"""No ``ttsjobs`` command ever prints a traceback: every command found by walking the argument
parser is run with bad input (an unknown id, a malformed id, a missing file, NUL bytes), against
a server that is down and with a revoked key, and must end with a message and a non-zero exit.
A command added without cases here fails the test."""

from __future__ import annotations

import argparse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import create_user
from tests.e2e.test_cli import ttsjobs
from ttsjobs_cli.arguments import parser
from ttsjobs_cli.embedded.processes import free_port

pytestmark = pytest.mark.e2e

# Who runs it (user, down, revoked, operator, ops_down, ops_bad_url, dev; see `how`), and argv.
Case = tuple[str, list[str]]

UNKNOWN_ID = str(uuid.uuid4())
MALFORMED_ID = "not-a-job!"
MISSING = "/nonexistent/ttsjobs/missing.json"
JOB_COMMANDS = ("show", "follow", "download", "cancel", "delete")


def leaves(at: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command a person can run: a parser without subcommands, or whose are optional."""
    subs = [a for a in at._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [path]
    found = [] if subs[0].required else [path]
    for name, child in subs[0].choices.items():
        found += leaves(child, (*path, name))
    return found


def _files(tmp: Path) -> dict[str, str]:
    made = {
        "nul_script": b"Alice: hello\x00there\n",
        "nul_raw.json": b'{"provider": "espeak", "turns": [{"speaker": "A", "text": "a\x00"}]}',
        "nul_escaped.json": b'{"provider": "espeak", "voice_assignments": {"A": {"voice":'
        b' "en-us"}}, "turns": [{"speaker": "A", "text": "a\\u0000"}]}',
        "nul_text.txt": b"One sentence.\x00 Another.",
        "nul.pls": b"<lexicon>\x00</lexicon>",
        "not_utf8.txt": b"\xff\xfe\xfa",
        "good_script.txt": b"Alice: Hello there.\n",
    }
    for name, content in made.items():
        (tmp / name).write_bytes(content)
    (tmp / "a_folder").mkdir()
    (tmp / "a_file").write_text("")
    return {name: str(tmp / name) for name in (*made, "a_folder", "a_file")}


def _cases(f: dict[str, str]) -> dict[tuple[str, ...], list[Case]]:
    cases: dict[tuple[str, ...], list[Case]] = {
        ("submit",): [
            ("user", [MISSING]),
            ("user", [f["nul_script"]]),
            ("user", [f["nul_raw.json"]]),
            ("user", [f["nul_escaped.json"]]),
            ("user", [f["a_folder"]]),
            ("user", [f["nul_text.txt"], "--text"]),
            ("user", [f["not_utf8.txt"], "--text"]),
            ("user", [MISSING, "--voice", "x"]),
        ],
        ("jobs",): [
            ("user", ["--limit", "0"]),
            ("user", ["--limit", "1000"]),
            ("user", ["--status", "nope"]),
            ("user", ["--search", "x" * 201]),
        ],
        ("voices",): [("user", ["--language", "!!"]), ("user", ["no-such-engine"])],
        ("lexicons", "put"): [
            ("user", ["x", MISSING + ".pls"]),
            ("user", ["x", f["nul.pls"]]),
            ("user", ["bad name!", f["nul.pls"]]),
            ("user", ["x", f["a_file"]]),
        ],
        ("lexicons", "list"): [],
        ("lexicons", "get"): [("user", ["nobody"]), ("user", ["bad name!", "--pls"])],
        ("lexicons", "delete"): [("user", ["nobody"])],
        ("users", "create"): [("operator", [""]), ("operator", ["\x01"])],
        ("users", "key"): [("operator", [f"nobody-{uuid.uuid4().hex[:6]}"])],
        ("users", "list"): [("ops_bad_url", [])],
        ("users", "revoke"): [("operator", ["nokey"])],
        ("setup",): [("ops_down", [])],
        ("projection", "rebuild"): [("ops_down", [])],
        ("projection", "dead-letters"): [("ops_down", [])],
        ("projection", "dead-letters", "replay"): [("operator", []), ("operator", ["999999"])],
        ("dev",): [("dev", ["--data-dir", f["a_file"]])],
    }
    for command in JOB_COMMANDS:
        cases[(command,)] = [("user", [UNKNOWN_ID]), ("user", [MALFORMED_ID]),
                             ("user", ["a" * 40]), ("user", ["-"])]  # fmt: skip
    cases[("download",)].append(("user", [UNKNOWN_ID[:8], "-o", "/nonexistent/dir/x.wav"]))
    # Every command that talks to the gateway: with the server down, and with a revoked key.
    for path, given in list(cases.items()):
        if path[0] in ("users", "setup", "projection", "dev"):
            continue
        sample = next((argv for who, argv in given if who == "user"), [])
        if path in (("jobs",), ("voices",)):
            sample = []
        if path == ("submit",):
            sample = [f["good_script.txt"]]
        if path[0] in JOB_COMMANDS:
            sample = [UNKNOWN_ID[:8]]
        if path == ("lexicons", "put"):
            sample = ["x", f["nul.pls"]]
        given += [("down", sample), ("revoked", sample)]
    return cases


def test_every_command_fails_with_a_message_not_a_traceback(stack, tmp_path):
    cases = _cases(_files(tmp_path))
    assert sorted(cases) == sorted(leaves(parser())), "a command without bad-input cases"

    user = create_user(stack, f"cli-tb-{uuid.uuid4().hex[:8]}")
    revoked = create_user(stack, f"cli-tb-{uuid.uuid4().hex[:8]}")
    servers = {k: stack.env[k] for k in ("TTSJOBS_NATS_URL", "TTSJOBS_DATABASE_URL")}
    done = ttsjobs(stack.gateway_url, "users", "revoke", revoked.key_id, env=servers)
    assert done.returncode == 0, done.stdout + done.stderr

    down = f"http://127.0.0.1:{free_port()}"
    ops_down = {"TTSJOBS_NATS_URL": f"nats://127.0.0.1:{free_port()}",
                "TTSJOBS_DATABASE_URL": f"postgresql://x@127.0.0.1:{free_port()}/x"}  # fmt: skip
    how = {
        "user": (stack.gateway_url, {"TTSJOBS_API_KEY": user.key}),
        "down": (down, {"TTSJOBS_API_KEY": user.key}),
        "revoked": (stack.gateway_url, {"TTSJOBS_API_KEY": revoked.key}),
        "operator": (stack.gateway_url, servers),
        "ops_down": (stack.gateway_url, ops_down),
        # NATS' client retries a refused first connect for two minutes (accounts.py lets it):
        # the users commands get a URL it refuses at once.
        "ops_bad_url": (stack.gateway_url, {**ops_down, "TTSJOBS_NATS_URL": "nats://["}),
        "dev": (stack.gateway_url, {}),
    }
    runs = [(path, who, argv) for path, given in cases.items() for who, argv in given]

    def run(path: tuple[str, ...], who: str, argv: list[str]):
        url, env = how[who]
        done = ttsjobs(url, *path, *argv, cwd=tmp_path, env=env)
        return path, who, argv, done

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda r: run(*r), runs))
    bad = []
    for path, who, argv, done in results:
        said = done.stdout + done.stderr
        if done.returncode == 0 or "Traceback" in said or not said.strip():
            bad.append(f"{' '.join(path)} {argv!r} ({who}): exit {done.returncode}\n{said}")
    assert not bad, "\n\n".join(bad)
    assert len(runs) > 60
