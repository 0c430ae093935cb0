"""``ttsjobs submit --bitrate --mastering``: passed to the job with its other fields, and the
choices the API has (an unknown preset is refused before any request)."""

from __future__ import annotations

import pytest

from ttsjobs_cli import main as cli_main
from ttsjobs_cli.arguments import parser


def test_bitrate_and_mastering_go_with_the_job(monkeypatch, tmp_path):
    sent = {}

    def submit(api, files, *, wait, fields, text=None):
        sent.update(fields)
        return 0

    monkeypatch.setattr(cli_main.submitting, "submit", submit)
    options = ["--output-format", "m4a", "--bitrate", "96", "--mastering", "podcast"]
    args = parser().parse_args(["submit", str(tmp_path / "talk.txt"), *options])
    assert cli_main._submit(None, args) == 0
    assert sent == {"output_format": "m4a", "bitrate_kbps": 96, "mastering": "podcast"}


def test_an_unknown_preset_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["submit", "talk.txt", "--mastering", "loud"])
    assert "invalid choice: 'loud'" in capsys.readouterr().err
