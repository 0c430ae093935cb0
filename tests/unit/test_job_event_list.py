"""The job events are listed once, in the ``JobEvent`` union: ``EVENT_CLASSES`` is read from it,
and an event class left out of it is caught here."""

from __future__ import annotations

import inspect
import json
import typing
from pathlib import Path

import pytest
from pydantic import ValidationError

from ttsjobs.contracts import job_events
from ttsjobs.contracts.job_events import EVENT_CLASSES, JobEvent, parse_event


def _envelope_classes() -> set[type]:
    return {
        cls
        for _, cls in inspect.getmembers(job_events, inspect.isclass)
        if issubclass(cls, job_events._Envelope) and cls is not job_events._Envelope
    }


def test_the_union_and_event_classes_are_the_same_list():
    union, _discriminator = typing.get_args(JobEvent)
    assert typing.get_args(union) == EVENT_CLASSES


def test_every_event_class_defined_is_in_the_union():
    assert _envelope_classes() == set(EVENT_CLASSES)


def test_kinds_and_types_are_unique():
    kinds = [cls.kind for cls in EVENT_CLASSES]
    types = [
        value
        for cls in EVENT_CLASSES
        for value in typing.get_args(cls.model_fields["type"].annotation)
    ]
    assert len(set(kinds)) == len(kinds)
    assert len(set(types)) == len(types)


def test_parse_event_knows_every_listed_type():
    # An empty body of a known type fails on that class's own fields; an unknown type on the tag.
    for cls in EVENT_CLASSES:
        tag = cls.model_fields["type"].default
        with pytest.raises(ValidationError) as known:
            parse_event(json.dumps({"type": tag}))
        assert {error["loc"][0] for error in known.value.errors()} == {tag}
    with pytest.raises(ValidationError) as unknown:
        parse_event(json.dumps({"type": "io.ttsjobs.job.unheard_of.v1"}))
    assert [error["type"] for error in unknown.value.errors()] == ["union_tag_invalid"]


def test_the_subscribers_guide_names_every_kind():
    # docs/subscribing.md is where another team learns what is on the stream.
    guide = (Path(__file__).resolve().parents[2] / "docs" / "subscribing.md").read_text()
    section = guide.split("## What is on the stream", 1)[1]
    listed = section.split("Users and API keys", 1)[0]  # the job kinds' sentence
    missing = [cls.kind for cls in EVENT_CLASSES if f"`{cls.kind}`" not in listed]
    assert not missing, f"docs/subscribing.md does not list {missing}"
