"""The CLI as a person uses it every day, against the running stack: job ids typed by a unique
start, an ambiguous one refused with the candidates, ``download -o DIR``, ``jobs`` at 80
columns with CJK titles, ``--search``, a script's ``# title``, ``delete``, and the server and
key found from another directory through what ``ttsjobs dev`` records."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from rich.cells import cell_len

from tests.conftest import User, create_user
from tests.e2e.test_cli import ttsjobs
from tests.support.jobs import SUBMIT, dialogue
from ttsjobs_cli.locations import record_server

pytestmark = pytest.mark.e2e

LONG_CJK_TITLE = "晨間節目：台北今天的天氣、交通與新聞摘要，還有一段很長很長的訪談內容"


def _user(stack) -> User:
    """A user of the test's own: lists and prefixes see exactly the jobs made here."""
    return create_user(stack, f"cli-e-{uuid.uuid4().hex[:8]}")


def _submit(stack, user: User, title: str) -> str:
    body = dialogue("espeak", title=title)
    body["turns"] = body["turns"][:1]
    del body["voice_assignments"]["Bob"]
    response = httpx.post(
        f"{stack.gateway_url}{SUBMIT}", json=body, headers=user.headers, timeout=30
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def _wait_finished(stack, user: User, job_id: str) -> None:
    followed = ttsjobs(stack.gateway_url, "follow", job_id, env={"TTSJOBS_API_KEY": user.key})
    assert followed.returncode == 0, followed.stdout + followed.stderr


def _two_sharing_a_start(stack, user: User) -> tuple[str, str]:
    """Jobs until two ids share their first character (16 possible: 17 jobs at most)."""
    ids: dict[str, str] = {}
    for n in range(17):
        job_id = _submit(stack, user, f"prefix {n}")
        if job_id[0] in ids:
            return ids[job_id[0]], job_id
        ids[job_id[0]] = job_id
    raise AssertionError("17 ids, 16 first characters")


def _unique_start(job_id: str, others: list[str]) -> str:
    return next(
        job_id[:n]
        for n in range(1, 37)
        if not any(o.startswith(job_id[:n]) for o in others if o != job_id)
    )


def test_a_unique_start_of_an_id_is_taken_and_an_ambiguous_one_listed(stack, tmp_path):
    user = _user(stack)
    as_user = {"TTSJOBS_API_KEY": user.key}
    first, second = _two_sharing_a_start(stack, user)
    _wait_finished(stack, user, second[:8])
    every = [j["id"] for j in httpx.get(
        f"{stack.gateway_url}/api/v1/jobs", params={"limit": 50}, headers=user.headers
    ).json()["items"]]  # fmt: skip

    ambiguous = ttsjobs(stack.gateway_url, "show", first[0], env=as_user)
    assert ambiguous.returncode == 1, ambiguous.stdout
    assert "several jobs" in ambiguous.stdout
    assert first in ambiguous.stdout and second in ambiguous.stdout
    assert "prefix" in ambiguous.stdout  # the candidates' titles, to tell them apart

    short = _unique_start(second, every)
    shown = ttsjobs(stack.gateway_url, "show", short, env=as_user)
    assert shown.returncode == 0, shown.stdout
    assert second in shown.stdout and "completed" in shown.stdout

    upper = ttsjobs(stack.gateway_url, "show", second[:13].upper(), "--json", env=as_user)
    assert upper.returncode == 0 and second in upper.stdout
    undashed = second.replace("-", "")[:12]  # the API takes a prefix with dashes or without
    plain = ttsjobs(stack.gateway_url, "show", undashed, "--json", env=as_user)
    assert plain.returncode == 0 and second in plain.stdout, plain.stdout

    saved = ttsjobs(stack.gateway_url, "download", short, "-o", str(tmp_path) + "/", env=as_user)
    assert saved.returncode == 0, saved.stdout
    [audio] = tmp_path.glob("*.wav")
    assert audio.stat().st_size > 1000

    nobody = ttsjobs(stack.gateway_url, "show", "ffff" if first[0] != "f" else "0000", env=as_user)
    assert nobody.returncode == 1 and "no job of yours" in nobody.stdout


def test_download_into_a_folder_under_the_servers_file_name(stack, tmp_path):
    user = _user(stack)
    as_user = {"TTSJOBS_API_KEY": user.key}
    job_id = _submit(stack, user, "folder test")
    _wait_finished(stack, user, job_id)

    existing = tmp_path / "existing"
    existing.mkdir()
    into = ttsjobs(stack.gateway_url, "download", job_id[:8], "-o", str(existing), env=as_user)
    assert into.returncode == 0, into.stdout + into.stderr
    [audio] = existing.iterdir()
    assert audio.name.endswith("_folder_test.wav"), audio.name

    made = ttsjobs(stack.gateway_url, "download", job_id, "-o", f"{tmp_path}/new/", env=as_user)
    assert made.returncode == 0, made.stdout
    assert [p.name for p in (tmp_path / "new").iterdir()] == [audio.name]

    as_file = ttsjobs(
        stack.gateway_url, "download", job_id, "-o", str(tmp_path / "mine.wav"), env=as_user
    )
    assert as_file.returncode == 0 and (tmp_path / "mine.wav").read_bytes() == audio.read_bytes()


def test_jobs_fit_80_columns_with_cjk_titles_and_search(stack):
    user = _user(stack)
    as_user = {"TTSJOBS_API_KEY": user.key, "COLUMNS": "80"}
    cjk = _submit(stack, user, LONG_CJK_TITLE)
    latin = _submit(stack, user, "A weekly English podcast about gardening, " * 3)

    listed = ttsjobs(stack.gateway_url, "jobs", env=as_user)
    assert listed.returncode == 0, listed.stdout
    lines = listed.stdout.splitlines()
    assert lines and max(cell_len(line) for line in lines) <= 80, listed.stdout
    [cjk_row] = [line for line in lines if line.startswith(cjk[:8])]
    [latin_row] = [line for line in lines if line.startswith(latin[:8])]
    assert cjk not in listed.stdout  # short ids only
    assert "晨間節目" in cjk_row and cjk_row.rstrip().endswith("…"), cjk_row
    assert "weekly English" in latin_row and latin_row.rstrip().endswith("…"), latin_row

    found = ttsjobs(stack.gateway_url, "jobs", "--search", "晨間", env=as_user)
    assert found.returncode == 0
    assert cjk[:8] in found.stdout and latin[:8] not in found.stdout

    limited = ttsjobs(stack.gateway_url, "jobs", "--limit", "1", env=as_user)
    assert latin[:8] in limited.stdout and cjk[:8] not in limited.stdout
    assert "--limit shows more" in limited.stdout


def test_a_scripts_title_line_titles_its_job(stack, tmp_path):
    user = _user(stack)
    as_user = {"TTSJOBS_API_KEY": user.key}
    titled = tmp_path / "morning.txt"
    titled.write_text("# 晨間節目\n主持人：大家早安。\n來賓：早安。\n", encoding="utf-8")
    plain = tmp_path / "evening.txt"
    plain.write_text("主持人：晚安。\n", encoding="utf-8")
    done = ttsjobs(stack.gateway_url, "submit", str(titled), str(plain), env=as_user)
    assert done.returncode == 0, done.stdout
    first, second = re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", done.stdout)
    titles = {
        job_id: httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=user.headers).json()[
            "title"
        ]
        for job_id in (first, second)
    }
    assert titles == {first: "晨間節目", second: "evening"}

    named = ttsjobs(stack.gateway_url, "submit", str(titled), "--title", "given", env=as_user)
    job_id = re.search(r"[0-9a-f]{8}-[0-9a-f-]{27}", named.stdout).group(0)
    job = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=user.headers).json()
    assert job["title"] == "given"


def test_delete_removes_a_finished_job(stack):
    user = _user(stack)
    as_user = {"TTSJOBS_API_KEY": user.key}
    job_id = _submit(stack, user, "to delete")
    _wait_finished(stack, user, job_id)

    refused = ttsjobs(stack.gateway_url, "cancel", job_id[:8], env=as_user)
    assert refused.returncode == 1 and "ttsjobs delete" in refused.stdout
    deleted = ttsjobs(stack.gateway_url, "delete", job_id[:8], env=as_user)
    assert deleted.returncode == 0, deleted.stdout
    assert "deleted" in deleted.stdout
    gone = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=user.headers)
    assert gone.status_code == 404
    again = ttsjobs(stack.gateway_url, "show", job_id[:8], env=as_user)
    assert again.returncode == 1 and "no job of yours" in again.stdout


def _recorded(stack, user: User, tmp_path: Path) -> dict[str, str]:
    """What `ttsjobs dev` leaves: its data dir (URL, local key) named in a per-user config."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "local-api-key").write_text(user.key + "\n")
    config_home = tmp_path / "config"
    record_server(data_dir, stack.gateway_url, environ={"XDG_CONFIG_HOME": str(config_home)})
    nothing_else = {"TTSJOBS_API_KEY": "", "TTSJOBS_URL": "", "TTSJOBS_DATA_DIR": ""}
    return {"XDG_CONFIG_HOME": str(config_home), **nothing_else}


def test_from_another_directory_the_recorded_server_and_key_are_found(stack, tmp_path):
    user = _user(stack)
    job_id = _submit(stack, user, "found from elsewhere")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _recorded(stack, user, tmp_path)

    listed = ttsjobs(None, "jobs", cwd=elsewhere, env=env)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert job_id[:8] in listed.stdout

    # What the user says still wins: another server, and it is named in the error.
    gone = ttsjobs("http://127.0.0.1:9", "jobs", cwd=elsewhere, env=env)
    assert gone.returncode == 2 and "127.0.0.1:9" in gone.stdout
    # A server recorded but stopped: the error says where its URL was read.
    (tmp_path / "data" / "server.json").write_text('{"url": "http://127.0.0.1:9"}')
    stopped = ttsjobs(None, "jobs", cwd=elsewhere, env=env)
    assert stopped.returncode == 2 and "server.json" in stopped.stdout, stopped.stdout
