"""Every string a request can carry refuses what no store or engine can hold: NUL, surrogates
and Unicode non-characters, with a reason naming the code point, at the field that held it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from tests.support.jobs import dialogue
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.strings import shown, unstorable

BAD = [
    "\x00",
    "\ud800",
    "\udfff",
    "\ufdd0",
    "\ufdef",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
]
FINE = ["", "plain", "é 中文 😀", "\t\n", "\ufdcf", "\ufdf0", "\ufffd", "\U0001fffd"]


@pytest.mark.parametrize("char", BAD, ids=[f"U+{ord(c):04X}" for c in BAD])
def test_each_unstorable_character_is_found(char):
    assert unstorable(f"ab{char}c") == (2, f"U+{ord(char):04X}")
    assert "\\u" in shown(char) and shown(char).isascii()


@pytest.mark.parametrize("text", FINE)
def test_storable_text_passes(text):
    assert unstorable(text) is None and shown(text) == text


def _string_paths(schema: dict, node: dict, path: tuple) -> list[tuple]:
    """Every place a string goes in a valid request: fields, and the keys of a map."""
    node = schema["$defs"][node["$ref"].split("/")[-1]] if "$ref" in node else node
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            return _string_paths(schema, option, path)
    if node.get("type") == "string" and "enum" not in node:
        return [path]
    if node.get("type") == "object" and "properties" in node:
        return [p for name, sub in node["properties"].items()
                for p in _string_paths(schema, sub, (*path, name))]  # fmt: skip
    if node.get("type") == "object":
        return [
            (*path, "[key]"),
            *_string_paths(schema, node["additionalProperties"], (*path, "*")),
        ]
    if node.get("type") == "array":
        return _string_paths(schema, node["items"], (*path, 0))
    return []


def _with_bad(body: dict, path: tuple, char: str) -> tuple[dict, tuple]:
    """The body with ``char`` put into the string at ``path``; the loc pydantic should report."""
    body = copy.deepcopy(body)
    parent: Any = body
    for part in path[:-1]:
        parent = next(iter(parent.values())) if part == "*" else parent[part]
    last = path[-1]
    if last == "[key]":
        key = next(iter(parent))
        parent[f"{key}{char}"] = parent.pop(key)
        return body, (*path[:-2], path[-2], f"{key}{char}", "[key]")
    current = parent[last] if isinstance(parent, list) else parent.get(last)
    parent[last] = f"{current or 'x'}{char}"
    real = tuple(next(iter(_at(body, path[:i]))) if p == "*" else p for i, p in enumerate(path))
    return body, real


def _at(body: dict, path: tuple) -> Any:
    for part in path:
        body = next(iter(body.values())) if part == "*" else body[part]
    return body


def test_every_string_of_a_request_refuses_nul_and_lone_surrogates():
    body = dialogue(callback_url="https://hooks.example/x")
    body["voice_assignments"] = {"Alice": {"voice": "v"}}
    body["turns"] = [
        {
            "speaker": "Alice",
            "text": "Hi on 5/6, x.",
            "language": "en",
            "spoken_as": [
                {"char_start": 0, "char_end": 2, "alias": "Hey"},
                {"char_start": 6, "char_end": 9, "interpret_as": "date", "format": "md"},
                {"char_start": 11, "char_end": 12, "phoneme": "ɛks", "alphabet": "ipa"},
            ],
            "marks": [{"name": "here", "char_offset": 3}],
        }
    ]
    body["lexicons"] = ["mine"]
    body["lexicon_entries"] = [
        {"lexicon": "mine", "grapheme": "Hi", "alias": "Hey", "phoneme": "haɪ"}
    ]
    schema = MultiRoleRequest.model_json_schema()
    paths = _string_paths(schema, schema, ())
    assert len(paths) >= 7, paths  # provider, title, callback_url, speaker, text, key, voice
    for path in paths:
        for char in ("\x00", "\ud800", "\uffff"):
            bad, loc = _with_bad(body, path, char)
            with pytest.raises(ValidationError) as caught:
                MultiRoleRequest.model_validate(bad)
            errors = caught.value.errors()
            assert len(errors) == 1, (path, char, errors)
            if loc[-1] == "[key]":
                # pydantic mangles a lone surrogate in a key's loc; the input is the key as sent
                assert errors[0]["loc"][:-2] == loc[:-2] and errors[0]["input"] == loc[-2]
            else:
                assert errors[0]["loc"] == loc, (path, char, errors)
            assert f"U+{ord(char):04X}" in errors[0]["msg"]


def test_a_recorded_event_decodes_as_it_was_written():
    """The edge refuses such strings; an event already in the stream (older than the check, or
    from another producer) still decodes, so the projection can mark it and the API answer it."""
    from ttsjobs.contracts.job_events import JobCreated, encode_event, parse_event
    from ttsjobs_gateway.publishers import job_created

    event = job_created(MultiRoleRequest.model_validate(dialogue(title="placeholder")), user_id="u")
    raw = encode_event(event).replace(b"placeholder", b"Two\\u0000friends\\uffff")
    decoded = parse_event(raw)
    assert isinstance(decoded, JobCreated)
    assert decoded.data.request.title == "Two\x00friends\uffff"
    with pytest.raises(ValidationError):
        MultiRoleRequest.model_validate(decoded.data.request.model_dump())
