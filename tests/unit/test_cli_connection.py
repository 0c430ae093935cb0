"""Which server and key the CLI uses: what the user says wins, then what a local ``ttsjobs dev``
recorded (found from any directory through the per-user config), then the defaults; and where
``download -o`` writes."""

from __future__ import annotations

from pathlib import Path

from ttsjobs_cli.commands import _destination
from ttsjobs_cli.connection import DEFAULT_URL, connection
from ttsjobs_cli.locations import record_server


def _recorded(tmp_path: Path) -> dict[str, str]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "local-api-key").write_text("tj_local\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    record_server(data_dir, "http://127.0.0.1:8151", environ=env)
    return env


def test_from_another_directory_the_recorded_server_and_its_key(tmp_path):
    env = _recorded(tmp_path)
    found = connection(url=None, api_key=None, environ=env, cwd=tmp_path / "elsewhere")
    assert (found.url, found.api_key) == ("http://127.0.0.1:8151", "tj_local")
    assert found.url_source == str((tmp_path / "data" / "server.json").resolve())


def test_flags_then_environment_win_over_what_was_recorded(tmp_path):
    env = _recorded(tmp_path)
    given = connection(url="http://a:1", api_key="tj_flag", environ=env, cwd=tmp_path)
    assert (given.url, given.api_key, given.url_source) == ("http://a:1", "tj_flag", None)
    env |= {"TTSJOBS_URL": "http://b:2", "TTSJOBS_API_KEY": "tj_env"}
    from_env = connection(url=None, api_key=None, environ=env, cwd=tmp_path)
    assert (from_env.url, from_env.api_key) == ("http://b:2", "tj_env")


def test_nothing_recorded_is_the_defaults(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "none"), "TTSJOBS_API_KEY": ""}
    found = connection(url=None, api_key=None, environ=env, cwd=tmp_path)
    assert (found.url, found.api_key, found.url_source) == (DEFAULT_URL, None, None)


def test_the_current_directorys_data_dir_without_a_recorded_url(tmp_path):
    local = tmp_path / ".ttsjobs-data"
    local.mkdir()
    (local / "local-api-key").write_text("tj_here\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "none")}
    found = connection(url=None, api_key=None, environ=env, cwd=tmp_path)
    assert (found.url, found.api_key) == (DEFAULT_URL, "tj_here")


def test_download_goes_to_a_file_or_into_a_folder(tmp_path):
    # A folder gets the server's file name inside it (the SDK's rule: test_python_sdk_downloads).
    assert _destination(None) == Path()
    assert _destination(str(tmp_path / "x.wav")) == tmp_path / "x.wav"
    assert _destination(str(tmp_path)) == tmp_path
    made = _destination(f"{tmp_path}/new/")
    assert made == tmp_path / "new" and made.is_dir()
