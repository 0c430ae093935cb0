"""``ttsjobs``'s promise that a person never sees a traceback: an error the CLI did not expect
still ends in one ``error:`` line and exit 1; TTSJOBS_DEBUG=1 shows where, for a bug report.
(The e2e test_cli_no_tracebacks runs every command with bad input.)"""

from __future__ import annotations

import pytest

from ttsjobs_cli import commands
from ttsjobs_cli.main import main


def _broken(*_: object, **__: object) -> int:
    raise RuntimeError("the disk is full")


@pytest.fixture(autouse=True)
def _nothing_local(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TTSJOBS_DEBUG", raising=False)
    monkeypatch.setattr(commands, "list_jobs", _broken)


def test_an_unexpected_error_is_one_line_and_exit_1(capfd):
    assert main(["--url", "http://127.0.0.1:9", "jobs"]) == 1
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert "error: RuntimeError: the disk is full" in out and "TTSJOBS_DEBUG=1" in out


def test_with_debug_the_traceback_is_shown(capfd, monkeypatch):
    monkeypatch.setenv("TTSJOBS_DEBUG", "1")
    assert main(["--url", "http://127.0.0.1:9", "jobs"]) == 1
    assert "Traceback" in capfd.readouterr().err


def test_a_malformed_id_is_refused_before_any_request(capfd):
    # Nothing listens on port 9: a request would say "cannot reach" instead.
    assert main(["--url", "http://127.0.0.1:9", "show", "not-an-id!"]) == 1
    out, _ = capfd.readouterr()
    assert "is not a job id" in out and "cannot reach" not in out
