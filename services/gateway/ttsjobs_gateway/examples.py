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
