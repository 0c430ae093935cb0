"""``ttsjobs lexicons`` against the running stack: put PLS and JSON files, list, get in both
forms, delete; ``submit --lexicon``; refusals explained field by field, with a non-zero exit."""

from __future__ import annotations

import json
import re
import uuid

import httpx
import pytest

from tests.e2e.test_cli import ttsjobs
from tests.support.jobs import dialogue

pytestmark = pytest.mark.e2e

PLS = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>Bob</grapheme><alias>Robert</alias></lexeme>
</lexicon>
"""


@pytest.fixture(autouse=True)
def _alices_key(monkeypatch, alice):
    monkeypatch.setenv("TTSJOBS_API_KEY", alice.key)


def test_put_list_get_delete(stack, alice, tmp_path):
    name = f"cli-{uuid.uuid4().hex[:8]}"
    (tmp_path / "brands.pls").write_text(PLS)
    put = ttsjobs(stack.gateway_url, "lexicons", "put", name, str(tmp_path / "brands.pls"))
    assert put.returncode == 0, put.stdout + put.stderr
    assert f"created lexicon {name}: 1 entries" in put.stdout

    listed = ttsjobs(stack.gateway_url, "lexicons", "list")
    assert listed.returncode == 0 and name in listed.stdout

    got = ttsjobs(stack.gateway_url, "lexicons", "get", name)
    assert got.returncode == 0
    assert json.loads(got.stdout)["entries"] == [{"grapheme": "Bob", "alias": "Robert"}]

    saved = tmp_path / "out.pls"
    exported = ttsjobs(stack.gateway_url, "lexicons", "get", name, "--pls", "-o", str(saved))
    assert exported.returncode == 0 and "<grapheme>Bob</grapheme>" in saved.read_text()
    shown = ttsjobs(stack.gateway_url, "lexicons", "get", name, "--pls")
    assert "<alias>Robert</alias>" in shown.stdout

    # Its JSON, edited and put back, replaces it.
    (tmp_path / "edit.json").write_text(
        json.dumps({"alphabet": "ipa", "entries": [{"grapheme": "Bob", "alias": "Bobby"}]})
    )
    again = ttsjobs(stack.gateway_url, "lexicons", "put", name, str(tmp_path / "edit.json"))
    assert again.returncode == 0 and "replaced" in again.stdout

    spec = tmp_path / "job.json"
    spec.write_text(json.dumps(dialogue("espeak", title="cli lexicon")))
    submitted = ttsjobs(stack.gateway_url, "submit", str(spec), "--lexicon", name)
    assert submitted.returncode == 0, submitted.stdout
    job_id = re.search(r"[0-9a-f]{8}-[0-9a-f-]{27}", submitted.stdout).group(0)
    job = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=alice.headers).json()
    assert [e["alias"] for e in job["input"]["lexicon_entries"]] == ["Bobby"]

    text = tmp_path / "story.txt"
    text.write_text("Bob went out. Bob came back.")
    long_text = ttsjobs(
        stack.gateway_url, "submit", str(text), "--text", "--voice", "en-us",
        "--provider", "espeak", "--lexicon", name,
    )  # fmt: skip
    assert long_text.returncode == 0, long_text.stdout
    job_id = re.search(r"[0-9a-f]{8}-[0-9a-f-]{27}", long_text.stdout).group(0)
    job = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=alice.headers).json()
    assert job["single"]["lexicons"] == [name]
    assert [e["alias"] for e in job["single"]["lexicon_entries"]] == ["Bobby"]

    # What `get -o` saves, `put` takes back.
    saved_json = tmp_path / "saved.json"
    assert (
        ttsjobs(stack.gateway_url, "lexicons", "get", name, "-o", str(saved_json)).returncode == 0
    )
    back = ttsjobs(stack.gateway_url, "lexicons", "put", name, str(saved_json))
    assert back.returncode == 0 and "replaced" in back.stdout, back.stdout

    gone = ttsjobs(stack.gateway_url, "lexicons", "delete", name)
    assert gone.returncode == 0 and f"deleted lexicon {name}" in gone.stdout
    missing = ttsjobs(stack.gateway_url, "lexicons", "get", name)
    assert missing.returncode == 1 and "no lexicon named" in missing.stdout


def test_refusals_say_what_and_where(stack, tmp_path):
    (tmp_path / "words.txt").write_text("Bob=Robert")
    wrong_type = ttsjobs(stack.gateway_url, "lexicons", "put", "x", str(tmp_path / "words.txt"))
    assert wrong_type.returncode == 1 and ".pls, .xml or .json" in wrong_type.stdout
    (tmp_path / "bad.json").write_text(json.dumps({"entries": [{"grapheme": "Bob"}]}))
    bad = ttsjobs(stack.gateway_url, "lexicons", "put", "x", str(tmp_path / "bad.json"))
    assert bad.returncode == 1 and "entries[0]" in bad.stdout
    unknown = tmp_path / "job.json"
    unknown.write_text(json.dumps(dialogue("espeak")))
    refused = ttsjobs(stack.gateway_url, "submit", str(unknown), "--lexicon", "never-made")
    assert refused.returncode == 1 and "lexicons[0]" in refused.stdout
    script = tmp_path / "script.txt"
    script.write_text("Alice: Hello.\n")
    in_a_script = ttsjobs(stack.gateway_url, "submit", str(script), "--lexicon", "never-made")
    assert in_a_script.returncode == 1 and "lexicons[0]" in in_a_script.stdout
