"""Request examples for the OpenAPI document, made from the live voice catalogue.

A static example names voices a deployment may not have. Built from what the workers reported,
each example is a request this gateway accepts, so /docs can try it as it stands, and a fuzzer
(schemathesis) that starts from the examples reaches 202 and, through the links, a real job.
"""

from __future__ import annotations

from typing import Any

from ttsjobs.contracts.voices import ProviderCatalogue

# From a 202, the job's own operations, with the id from the answer.
JOB_LINKS = {
    name: {"operationId": operation, "parameters": {"job_id": "$response.body#/id"}}
    for name, operation in [
        ("GetJob", "getJob"),
        ("CancelJob", "cancelJob"),
        ("DownloadAudio", "downloadAudio"),
        ("DownloadCaptions", "downloadCaptions"),
    ]
}


def request_examples(providers: dict[str, ProviderCatalogue]) -> dict[str, Any]:
    """One two-speaker dialogue per provider, with its first voices."""
    examples: dict[str, Any] = {}
    for name, catalogue in sorted(providers.items()):
        if not catalogue.voices:
            continue
        first = catalogue.voices[0].id
        second = catalogue.voices[1].id if len(catalogue.voices) > 1 else first
        examples[name] = {
            "summary": f"a short dialogue on {name}",
            "value": {
                "provider": name,
                "title": f"Example on {name}",
                "turns": [
                    {"speaker": "Alice", "text": "Hello, Bob."},
                    {"speaker": "Bob", "text": "Hello, Alice. Shall we begin?"},
                ],
                "voice_assignments": {"Alice": {"voice": first}, "Bob": {"voice": second}},
            },
        }
    return examples


# Values for strings of a known format, where a placeholder would not be one.
_FORMATS = {
    "date-time": "2026-12-07T09:30:00Z",
    "date": "2026-12-07",
    "uuid": "0b6c7d3e-5f1a-4c2b-9e8d-7a6b5c4d3e2f",
    "uri": "https://example.com/hooks/tts",
    "email": "alice@example.com",
}
# Values for fields of these names, where their schema gives no example of its own: a made-up
# "text" says less than a value of the kind the field holds.
_NAMED: dict[str, Any] = {
    "id": "0b6c7d3e-5f1a-4c2b-9e8d-7a6b5c4d3e2f",
    "job_id": "0b6c7d3e-5f1a-4c2b-9e8d-7a6b5c4d3e2f",
    "speaker": "Alice",
    "text": "Hello, Bob.",
    "title": "Morning show",
    "provider": "kokoro",
    "voice": "af_heart",
    "language": "en-US",
    "description": "Kokoro-82M",
    "name": "Heart",
    "key": "audio/2026/12/07/0b6c7d3e.mp3",
    "url": "/api/v1/jobs/0b6c7d3e-5f1a-4c2b-9e8d-7a6b5c4d3e2f/download",
    "error_message": None,
}
_JOB = "/api/v1/jobs/0b6c7d3e-5f1a-4c2b-9e8d-7a6b5c4d3e2f"
_DIALOGUE = {
    "provider": "kokoro",
    "title": "Morning show",
    "turns": [
        {"speaker": "Alice", "text": "Hello, Bob."},
        {"speaker": "Bob", "text": "Hello, Alice. Shall we begin?"},
    ],
    "voice_assignments": {"Alice": {"voice": "af_heart"}, "Bob": {"voice": "am_michael"}},
    "output_format": "mp3",
}
JOB_PENDING: dict[str, Any] = {
    "id": _JOB.rsplit("/", 1)[-1],
    "status": "pending",
    "job_type": "multi_role_tts",
    "provider": "kokoro",
    "title": "Morning show",
    "input": _DIALOGUE,
    "progress": {"done": 0, "total": 2},
    "result": None,
    "error_message": None,
    "created_at": "2026-12-07T09:30:00Z",
    "started_at": None,
    "completed_at": None,
    "elapsed": 0.0,
    "links": {"self": _JOB},
}
JOB_COMPLETED: dict[str, Any] = JOB_PENDING | {
    "status": "completed",
    "progress": {"done": 2, "total": 2},
    "result": {
        "duration_ms": 3800,
        "latency_ms": 2100,
        "turn_timings": [
            {"index": 0, "speaker": "Alice", "start_ms": 0, "end_ms": 1400, "synthesis_ms": 610},
            {"index": 1, "speaker": "Bob", "start_ms": 1700, "end_ms": 3800, "synthesis_ms": 880},
        ],
        "audio": {
            "bucket": "ttsjobs-audio",
            "object_key": "audio/2026/12/07/0b6c7d3e.mp3",
            "size_bytes": 61234,
            "content_type": "audio/mpeg",
            "format": "mp3",
            "sample_rate": 24000,
        },
    },
    "started_at": "2026-12-07T09:30:00.2Z",
    "completed_at": "2026-12-07T09:30:02.1Z",
    "elapsed": 2.1,
    "expires_at": "2027-01-06T09:30:02.1Z",
    "links": {
        "self": _JOB,
        "download": f"{_JOB}/download",
        "captions_vtt": f"{_JOB}/captions?format=vtt",
        "captions_srt": f"{_JOB}/captions?format=srt",
    },
}
# Answers worth writing out whole, by operationId and status.
_ANSWERS: dict[tuple[str, str], Any] = {
    ("submitMultiRoleJob", "202"): JOB_PENDING,
    ("submitScriptJob", "202"): JOB_PENDING,
    ("getJob", "200"): JOB_COMPLETED,
    ("renameJob", "200"): JOB_COMPLETED,
    ("cancelJob", "200"): JOB_PENDING | {"status": "cancelled", "elapsed": 1.2},
    ("cancelUnfinishedJob", "200"): JOB_PENDING | {"status": "cancelled", "elapsed": 1.2},
    ("listJobs", "200"): {"items": [JOB_COMPLETED], "next_cursor": "MjAyNi0xMi0wN1QwOTozMDowMFo"},
    ("getHealth", "200"): {"status": "ok"},
    ("getMetrics", "200"): "# HELP ttsjobs_jobs_created_total Jobs accepted by the gateway\n"
    '# TYPE ttsjobs_jobs_created_total counter\nttsjobs_jobs_created_total{provider="kokoro"}'
    " 42.0\n",
    ("getReadiness", "200"): {
        "status": "ready",
        "checks": {"nats": True, "postgresql": True, "s3": True},
        "providers": ["espeak", "kokoro", "piper"],
    },
}
_PROBLEM_JSON = "application/problem+json"
# Files that are text, as a two-turn job's would read.
_TEXT_FILES = {
    "text/vtt": "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.800\n<v Alice>Hello, Bob.\n\n"
    "2\n00:00:02.100 --> 00:00:04.000\n<v Bob>Hello, Alice. Shall we begin?\n",
    "application/x-subrip": "1\n00:00:00,000 --> 00:00:01,800\nAlice: Hello, Bob.\n\n"
    "2\n00:00:02,100 --> 00:00:04,000\nBob: Hello, Alice. Shall we begin?\n",
    "application/vnd.apple.mpegurl": "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
    "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:3.9,\nlive/0.mp3\n",
}


def add_examples(document: dict[str, Any]) -> None:
    """An example on every request body and response that has none: a problem of each type
    its status can be, and for JSON a value made from the schema (its fields' own examples
    first). Files (``format: binary``) have no example to give."""
    components = document.get("components", {}).get("schemas", {})
    # Each problem type once, in components/examples; responses name those of their status.
    shared = document.setdefault("components", {}).setdefault("examples", {})
    by_status: dict[int, list[str]] = {}
    for kind in document.get("x-problem-types", []):
        name = kind["type"].rsplit(":", 1)[-1]
        shared[name] = _problem_example(kind)
        by_status.setdefault(kind["status"], []).append(name)
    for item in document.get("paths", {}).values():
        for operation in item.values():
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                _fill(content, media_type, components)
            for code, response in operation.get("responses", {}).items():
                for media_type, content in response.get("content", {}).items():
                    answer = (operation.get("operationId", ""), code)
                    if media_type != _PROBLEM_JSON and answer in _ANSWERS:
                        content.setdefault("example", _ANSWERS[answer])
                    elif media_type == _PROBLEM_JSON:
                        names = by_status.get(int(code)) or ["http-error"]
                        content.setdefault("examples", {
                            name: {"$ref": f"#/components/examples/{name}"} for name in names
                        })  # fmt: skip
                    else:
                        _fill(content, media_type, components)


def _fill(content: dict[str, Any], media_type: str, components: dict[str, Any]) -> None:
    schema = content.get("schema") or {}
    if "example" in content or "examples" in content or schema.get("format") == "binary":
        return
    if media_type in _TEXT_FILES:
        content["example"] = _TEXT_FILES[media_type]
    else:
        content["example"] = example_of(schema, components)


def _problem_example(kind: dict[str, Any]) -> dict[str, Any]:
    return {
        "summary": kind["title"],
        "value": {
            "type": kind["type"],
            "title": kind["title"],
            "status": kind["status"],
            "detail": kind.get("description") or kind["title"],
            "instance": "/api/v1/jobs/0b6c7d3e-5f1a-4c2b-9e8d-7a6b5c4d3e2f",
        },
    }


def example_of(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A value that fits ``schema``: its own example where it gives one, else built from its
    parts (``$ref`` into ``components``, the first non-null branch of a union)."""
    if "$ref" in schema:
        return example_of(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth)
    for key in ("examples", "example", "default", "const", "enum"):
        value = schema.get(key)
        if key in ("examples", "enum") and value:
            return value[0]
        if key in ("example", "const") and key in schema:
            return value
        if key == "default" and value is not None:
            return value
    for union in ("anyOf", "oneOf"):
        if union in schema:
            branches = [b for b in schema[union] if b.get("type") != "null"] or schema[union]
            return example_of(branches[0], components, depth)
    if "allOf" in schema:
        return example_of(schema["allOf"][0], components, depth)
    return _by_type(schema, components, depth)


def _field(name: str, schema: dict[str, Any], components: dict[str, Any], depth: int) -> Any:
    own = example_of(schema, components, depth + 1)
    if name in _NAMED and not _shown(schema, components):
        return _NAMED[name]
    return own


def _shown(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """Whether the schema (or the first branch of its union) gives an example of its own."""
    if "$ref" in schema:
        return _shown(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    branches = [b for b in schema.get("anyOf", []) if b.get("type") != "null"]
    return any(k in schema for k in ("examples", "example")) or (
        bool(branches) and _shown(branches[0], components)
    )


def _by_type(schema: dict[str, Any], components: dict[str, Any], depth: int) -> Any:
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        if properties:
            # What must be there, and what its schema shows an example of: not every optional
            # field at once (a multi-role job's input and a single one's), which no answer has.
            required = schema.get("required", [])
            return {name: _field(name, sub, components, depth)
                    for name, sub in properties.items()
                    if name in required or _shown(sub, components)}  # fmt: skip
        extra = schema.get("additionalProperties")
        return {"name": example_of(extra, components, depth + 1)} if extra else {}
    if kind == "array":
        item = example_of(schema.get("items", {}), components, depth + 1)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "string":
        return _FORMATS.get(schema.get("format", ""), "text")
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        return (
            low + 1 if "exclusiveMinimum" in schema else max(low, 1 if kind == "integer" else 1.0)
        )
    if kind == "boolean":
        return False
    return None
