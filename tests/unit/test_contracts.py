"""The checked-in contracts match the models, and events round-trip as CloudEvents."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.support.jobs import dialogue
from ttsjobs.contracts import subjects
from ttsjobs.contracts.account_events import ACCOUNT_EVENT_CLASSES, ApiKeyIssuedData
from ttsjobs.contracts.job_events import EVENT_CLASSES, encode_event, parse_event
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_cli.schema_export import generate
from ttsjobs_gateway.publishers import job_created
from ttsjobs_synthesis.publishers import job_progressed

PROTO = Path(__file__).resolve().parents[2] / "proto-schemas"


def test_checked_in_schemas_match_the_models():
    expected = generate()
    on_disk = {str(p.relative_to(PROTO)): p.read_text() for p in PROTO.rglob("*") if p.is_file()}
    drifted = sorted(k for k in expected if on_disk.get(k) != expected[k])
    stale = sorted(set(on_disk) - set(expected))
    assert not drifted and not stale, f"run `make schemas`: drifted {drifted}, stale {stale}"


def test_asyncapi_names_every_event_with_producer_and_consumer():
    doc = yaml.safe_load((PROTO / "asyncapi.yaml").read_text())
    assert doc["asyncapi"].startswith("3.")
    assert doc["x-jetstream"]["stream"]["name"] == subjects.STREAM
    addresses = {c["address"] for c in doc["channels"].values()}
    for cls in EVENT_CLASSES:
        assert subjects.job_event("{job_id}", cls.kind) in addresses
        sends = [
            o
            for o in doc["operations"].values()
            if o["action"] == "send"
            and cls.__name__ in json.dumps(doc["channels"][o["channel"]["$ref"].split("/")[-1]])
        ]
        receives = [
            o
            for o in doc["operations"].values()
            if o["action"] == "receive"
            and cls.__name__ in json.dumps(doc["channels"][o["channel"]["$ref"].split("/")[-1]])
        ]
        assert sends and receives, cls.__name__
    for cls in ACCOUNT_EVENT_CLASSES:
        assert subjects.account_event("{user_id}", cls.kind) in addresses
        assert any(cls.__name__ in key and o["action"] == "receive"
                   for key, o in doc["operations"].items()), cls.__name__  # fmt: skip
    durables = {c["durable"] for c in doc["x-jetstream"]["consumers"]}
    assert durables == {"synthesis", "projection", "projection-accounts", "notifier"}


def test_every_job_event_names_its_owner_and_account_events_hold_no_key():
    for cls in EVENT_CLASSES:
        assert "user_id" in cls.model_fields["data"].annotation.model_fields, cls.__name__
    issued = ApiKeyIssuedData.model_json_schema()["properties"]
    assert "key_sha256" in issued and not {"key", "secret"} & set(issued)


def test_events_are_cloudevents_and_round_trip():
    event = job_created(MultiRoleRequest.model_validate(dialogue()), user_id="u1")
    wire = json.loads(encode_event(event))
    for attribute in ("id", "source", "type", "subject", "time", "specversion", "datacontenttype"):
        assert attribute in wire
    assert wire["specversion"] == "1.0" and wire["subject"] == event.job_id
    assert wire["type"] == "io.ttsjobs.job.created.v1"
    assert parse_event(encode_event(event)) == event
    assert event.nats_subject() == f"ttsjobs.job.{event.job_id}.created"


def test_derived_event_ids_make_retries_duplicates():
    a = job_progressed("job-1", user_id="u1", done=2, total=3, turn_index=1, attempt=1)
    b = job_progressed("job-1", user_id="u1", done=2, total=3, turn_index=1, attempt=1)
    assert a.id == b.id == "job-1.progressed.1.2"


def test_completed_is_v2_and_v1_events_still_read_with_their_caption_files():
    from ttsjobs.contracts.job_events import AudioObject, JobCompleted, JobResult
    from ttsjobs.jobs.state import JobStatus, apply, fold
    from ttsjobs_synthesis.publishers import job_completed

    created = job_created(MultiRoleRequest.model_validate(dialogue()), user_id="u1")
    key = f"jobs/{created.job_id}/audio.wav"
    audio = AudioObject(bucket="b", object_key=key, size_bytes=10, content_type="audio/wav",
                        format="wav", sample_rate=22050)  # fmt: skip
    result = JobResult(duration_ms=1, latency_ms=1, turn_timings=[], audio=audio)
    new = job_completed(created.job_id, result, user_id="u1")
    assert json.loads(encode_event(new))["type"] == "io.ttsjobs.job.completed.v2"
    assert new.data.result.captions == []

    old = json.loads(encode_event(new))
    old["type"] = "io.ttsjobs.job.completed.v1"
    old["data"]["result"]["captions"] = [{"format": "vtt", "object_key": "k", "size_bytes": 3,
                                          "content_type": "text/vtt; charset=utf-8"}]  # fmt: skip
    read = parse_event(json.dumps(old))
    assert isinstance(read, JobCompleted) and read.data.result.captions[0].object_key == "k"
    state = apply(fold([(1, created)]), read, 2)
    assert state is not None and state.status is JobStatus.completed
