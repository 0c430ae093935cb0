"""Generate proto-schemas/ from the models: one JSON Schema per event, the job request, an
AsyncAPI 3.1 document naming the stream, subjects, messages, producers and consumers, and the
gateway's OpenAPI document (openapi_export.py).

Run ``make schemas`` after changing a contract; a test fails while the checked-in files differ.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ttsjobs.callbacks import NO_CALLBACK
from ttsjobs.contracts import subjects
from ttsjobs.contracts.account_events import ACCOUNT_EVENT_CLASSES
from ttsjobs.contracts.cloudevents import CloudEvent
from ttsjobs.contracts.job_events import EVENT_CLASSES
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.pronunciations import PREVIEW_QUEUE, PREVIEW_SUBJECT, Preview, PreviewAsked
from ttsjobs.contracts.voice_previews import (
    VOICE_PREVIEW_QUEUE,
    VOICE_PREVIEW_SUBJECT,
    VoicePreviewAsked,
    VoicePreviewStored,
)
from ttsjobs.jobs.state import TERMINAL
from ttsjobs.messaging import topology
from ttsjobs.messaging.topology import Subscription
from ttsjobs_cli.openapi_export import openapi_files
from ttsjobs_notifier.subscriptions import JOB_FINISHED_SUBSCRIPTION
from ttsjobs_projection.subscriptions import (
    ACCOUNT_EVENTS_SUBSCRIPTION,
    JOB_EVENTS_SUBSCRIPTION,
)
from ttsjobs_synthesis.subscriptions import SynthesisConsumerPolicy, job_created_subscription

SCHEMA_BASE = "https://ttsjobs.dev/schemas"

# Who sends and who receives each kind of event (the design, stated once).
PRODUCERS: dict[str, list[str]] = {
    "created": ["gateway"],
    "started": ["synthesis"],
    "progressed": ["synthesis"],
    "completed": ["synthesis"],
    "failed": ["synthesis"],
    "cancel_requested": ["gateway"],
    "cancelled": ["gateway", "synthesis"],
    "renamed": ["gateway"],
    "callback_attempted": ["notifier"],
    "expired": ["projection"],  # its retention janitor
    "deleted": ["gateway"],  # DELETE of a finished job
}
# Every durable consumer, as the services that read them declare them (at their default
# settings); who receives an event follows from their filters.
SUBSCRIPTIONS: tuple[Subscription, ...] = (
    job_created_subscription(SynthesisConsumerPolicy()),
    JOB_EVENTS_SUBSCRIPTION,
    ACCOUNT_EVENTS_SUBSCRIPTION,
    JOB_FINISHED_SUBSCRIPTION,
)
ACCOUNT_PRODUCERS: dict[str, list[str]] = {
    "created": ["accounts-cli"],
    "key_issued": ["accounts-cli"],
    "key_revoked": ["accounts-cli"],
}
# Readers without a durable consumer: the gateway watches revocations from the live end of the
# stream (an ephemeral consumer) and forgets the key at once.
ACCOUNT_WATCHERS: dict[str, list[str]] = {"key_revoked": ["gateway"]}


# An event class, its channel, address, address parameter, schema file, producers, durable
# consumers and readers without a durable.
_Family = tuple[type[CloudEvent], str, str, str, str, list[str], list[Subscription], list[str]]


def receivers(subject: str) -> list[Subscription]:
    """The declared durable consumers a message on this concrete subject reaches."""
    return [subscription for subscription in SUBSCRIPTIONS if subscription.reads(subject)]


def _camel(kind: str) -> str:
    head, *rest = kind.split("_")
    return head + "".join(part.title() for part in rest)


def generate() -> dict[str, str]:
    """File path (relative to proto-schemas/) → content."""
    files: dict[str, str] = {}
    for cls in EVENT_CLASSES:
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{SCHEMA_BASE}/events/{cls.kind}.schema.json",
            **cls.model_json_schema(),
        }
        files[f"events/{cls.kind}.schema.json"] = json.dumps(schema, indent=2) + "\n"
    for account_cls in ACCOUNT_EVENT_CLASSES:
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{SCHEMA_BASE}/events/user/{account_cls.kind}.schema.json",
            **account_cls.model_json_schema(),
        }
        files[f"events/user/{account_cls.kind}.schema.json"] = json.dumps(schema, indent=2) + "\n"
    request = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/job-request.schema.json",
        **MultiRoleRequest.model_json_schema(),
    }
    files["job-request.schema.json"] = json.dumps(request, indent=2) + "\n"
    for folder, asked, answer in (
        ("pronunciations", PreviewAsked, Preview),
        ("voices", VoicePreviewAsked, VoicePreviewStored),
    ):
        for name, model in (("asked", asked), ("answer", answer)):
            schema = {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": f"{SCHEMA_BASE}/{folder}/preview-{name}.schema.json",
                **model.model_json_schema(),
            }
            files[f"{folder}/preview-{name}.schema.json"] = json.dumps(schema, indent=2) + "\n"
    files["asyncapi.yaml"] = yaml.safe_dump(asyncapi(), sort_keys=False, width=100)
    files.update(openapi_files())
    return files


_FINAL_KINDS = {kind.value for kind in TERMINAL}


def _no_callback_header() -> dict[str, Any]:
    # A new dict for each message: a shared one would be written as a YAML anchor and aliases.
    return {
        NO_CALLBACK[0]: {
            "type": "string",
            "enum": [NO_CALLBACK[1]],
            "description": "the job has no callback_url (absent: not said either way)",
        }
    }


def asyncapi() -> dict[str, Any]:
    stream = topology.job_stream()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    families: list[_Family] = [
        (cls, _camel(cls.kind), subjects.job_event("{job_id}", cls.kind), "job_id",
         f"./events/{cls.kind}.schema.json", PRODUCERS[cls.kind],
         receivers(subjects.job_event("0", cls.kind)), [])
        for cls in EVENT_CLASSES
    ] + [
        (cls, _camel(f"user_{cls.kind}"), subjects.account_event("{user_id}", cls.kind),
         "user_id", f"./events/user/{cls.kind}.schema.json", ACCOUNT_PRODUCERS[cls.kind],
         receivers(subjects.account_event("0", cls.kind)), ACCOUNT_WATCHERS.get(cls.kind, []))
        for cls in ACCOUNT_EVENT_CLASSES
    ]  # fmt: skip
    for cls, channel, address, parameter, payload, producers, durables, watchers in families:
        name = cls.__name__
        messages[name] = {
            "name": name,
            "title": name,
            "summary": (cls.__doc__ or name).strip().splitlines()[0],
            "contentType": "application/json",
            "headers": {
                "type": "object",
                "properties": {
                    "Nats-Msg-Id": {"type": "string", "description": "= event id"},
                    **(_no_callback_header() if cls.kind in _FINAL_KINDS else {}),
                },
            },
            "payload": {"$ref": payload},
        }
        channels[channel] = {
            "address": address,
            "parameters": {parameter: {"description": f"the {parameter.split('_')[0]}'s UUID"}},
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
        }
        for producer in producers:
            operations[f"{producer}Sends{name}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{channel}"},
                "x-service": producer,
            }
        for durable in durables:
            operations[f"{durable.service}Receives{name}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{channel}"},
                "x-service": durable.service,
                "x-durable-consumer": durable.durable,
            }
        for watcher in watchers:
            operations[f"{watcher}Receives{name}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{channel}"},
                "x-service": watcher,
            }
    _request_reply(channels, operations, messages, PRONUNCIATION_PREVIEW)
    _request_reply(channels, operations, messages, VOICE_PREVIEW)
    accounts_stream = topology.accounts_stream()
    dead_letters = topology.dead_letters_stream()
    return {
        "asyncapi": "3.1.0",
        "info": {
            "title": "ttsjobs job and account events",
            "version": "1.2.1",
            "description": (
                "CloudEvents 1.0 in structured JSON mode on NATS JetStream. Every event of a job is"
                f" on {subjects.job_event('{job_id}', '{kind}')}; a job's history is the filter"
                f" {subjects.job_history('{job_id}')}. The event id is also the Nats-Msg-Id."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "jetstream": {
                "host": "localhost:4222",
                "protocol": "nats",
                "description": "any NATS server or cluster with JetStream enabled",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
        "x-jetstream": {
            "stream": {
                "name": stream.name,
                "subjects": stream.subjects,
                "storage": "file",
                "max_age_seconds": stream.max_age,
                "duplicate_window_seconds": stream.duplicate_window,
            },
            "consumers": [
                {
                    "durable": s.durable,
                    "stream": s.stream,
                    "filter_subjects": list(s.filter_subjects),
                    "ack_policy": s.ack_policy.value,
                    "max_deliver": s.max_deliver,
                    "ack_wait_seconds": s.ack_wait_s,
                }
                for s in SUBSCRIPTIONS
            ],
            "accounts_stream": {
                "name": accounts_stream.name,
                "subjects": accounts_stream.subjects,
                "storage": "file",
                "max_age_seconds": None,
            },
            "dead_letters_stream": {
                "name": dead_letters.name,
                "subjects": dead_letters.subjects,
                "storage": "file",
                "max_age_seconds": None,
                "max_msgs_per_subject": dead_letters.max_msgs_per_subject,
                "description": "events a consumer gave up on, one letter per consumer and"
                " event on ttsjobs.dead.{consumer}.{stream}.{stream_seq}, with the error;"
                " listed and replayed by `ttsjobs projection dead-letters`",
            },
        },
    }


@dataclass(frozen=True)
class RequestReply:
    """A request-reply on the bus: core NATS, not JetStream; a queue group of workers."""

    channel: str  # and the reply's channel, with "Reply"
    address: str
    queue: str
    folder: str  # of its schemas, in proto-schemas/
    asked: str  # message names
    answer: str
    asked_summary: str
    answer_summary: str
    operation: str  # gatewayRequests<operation>, synthesisAnswers<operation>


PRONUNCIATION_PREVIEW = RequestReply(
    "pronunciationPreview", PREVIEW_SUBJECT, PREVIEW_QUEUE, "pronunciations",
    "PreviewAsked", "Preview", "the gateway asks how a text will be read",
    "each word and the reading a voice will say; or {problem} when it cannot", "Preview",
)  # fmt: skip
VOICE_PREVIEW = RequestReply(
    "voicePreview", VOICE_PREVIEW_SUBJECT, VOICE_PREVIEW_QUEUE, "voices",
    "VoicePreviewAsked", "VoicePreviewStored",
    "the gateway asks for a voice's sample line, not in the bucket yet",
    "the bucket key the WAV is stored under; or {problem, field} when it cannot be made",
    "VoicePreview",
)  # fmt: skip


def _request_reply(
    channels: dict[str, Any],
    operations: dict[str, Any],
    messages: dict[str, Any],
    rr: RequestReply,
) -> None:
    for name, summary, kind in ((rr.asked, rr.asked_summary, "asked"),
                                (rr.answer, rr.answer_summary, "answer")):  # fmt: skip
        messages[name] = {
            "name": name,
            "summary": summary,
            "contentType": "application/json",
            "payload": {"$ref": f"./{rr.folder}/preview-{kind}.schema.json"},
        }
    channels[rr.channel] = {
        "address": rr.address,
        "messages": {rr.asked: {"$ref": f"#/components/messages/{rr.asked}"}},
    }
    channels[f"{rr.channel}Reply"] = {
        "address": None,
        "description": "the requester's inbox (NATS reply subject)",
        "messages": {rr.answer: {"$ref": f"#/components/messages/{rr.answer}"}},
    }
    for service, action in (("gateway", "send"), ("synthesis", "receive")):
        verb = "Requests" if action == "send" else "Answers"
        operations[f"{service}{verb}{rr.operation}"] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{rr.channel}"},
            "reply": {"channel": {"$ref": f"#/channels/{rr.channel}Reply"}},
            "x-service": service,
            **({"x-queue-group": rr.queue} if action == "receive" else {}),
        }


def write(target: Path) -> None:
    for relative, content in generate().items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "proto-schemas"))
