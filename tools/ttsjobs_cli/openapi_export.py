"""proto-schemas/openapi.json: the gateway's OpenAPI document, made from its routes and a fixed
voice catalogue; and openapi-python-client.yaml, what that generator needs told to read it.

The served /openapi.json takes its submit examples from the live catalogue (whatever voices the
workers reported). The committed document must not change with the machine it was made on, so
it is made from the catalogue below: a few voices of each provider the README names.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.main import create_app
from ttsjobs_gateway.openapi import BINARY, TEXT_TYPES


def _voice(voice_id: str, name: str, language: str, gender: str, rate: int) -> VoiceInfo:
    return VoiceInfo(id=voice_id, name=name, language=language, gender=gender, sample_rate=rate)


FIXED_CATALOGUE: dict[str, ProviderCatalogue] = {
    catalogue.provider: catalogue
    for catalogue in (
        ProviderCatalogue(
            provider="kokoro",
            description="Kokoro-82M",
            voices=[
                _voice("af_heart", "Heart", "en-US", "female", 24000),
                _voice("am_michael", "Michael", "en-US", "male", 24000),
                _voice("zf_xiaoxiao", "Xiaoxiao", "zh-CN", "female", 24000),
            ],
            blends=True,
        ),
        ProviderCatalogue(
            provider="piper",
            description="Piper",
            voices=[
                _voice("en_US-amy-medium", "Amy", "en-US", "female", 22050),
                _voice("en_US-joe-medium", "Joe", "en-US", "male", 22050),
            ],
        ),
        ProviderCatalogue(
            provider="espeak",
            description="eSpeak NG",
            voices=[
                _voice("en-us", "English (America)", "en-US", "male", 22050),
                _voice("cmn", "Chinese (Mandarin)", "cmn", "male", 22050),
            ],
            variants=["f1", "m1"],
        ),
    )
}


def openapi() -> dict[str, Any]:
    """The document, as the gateway would serve it with FIXED_CATALOGUE's voices."""
    # Settings' defaults: the routes do not depend on where the servers are.
    app = create_app(Settings())
    app.state.fixed_catalogue = FIXED_CATALOGUE
    return app.openapi()


def openapi_files() -> dict[str, str]:
    """openapi.json and openapi-python-client.yaml, by name in proto-schemas/."""
    document = openapi()
    return {
        "openapi.json": json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        "openapi-python-client.yaml": generator_config(document),
    }


OVERRIDES_HEADER = """\
# Made by `make schemas` from openapi.json (tools/ttsjobs_cli/openapi_export.py); merge it into
# the generator's own config. openapi-python-client 0.29.1 reads a response only as JSON, text/*
# or application/octet-stream and leaves out any other (audio/wav, application/zip), whatever
# its schema says: each such media type of the document is read as bytes (or as text).
"""


def generator_overrides(document: dict[str, Any]) -> dict[str, str]:
    """Each response media type openapi-python-client would drop → the one it reads it as."""
    overrides: dict[str, str] = {}
    for item in document["paths"].values():
        for operation in item.values():
            for response in operation.get("responses", {}).values():
                for media_type, content in response.get("content", {}).items():
                    if content.get("schema") == BINARY:
                        overrides[media_type] = "application/octet-stream"
                    elif media_type in TEXT_TYPES:
                        overrides[media_type] = "text/plain"
    return dict(sorted(overrides.items()))


def generator_config(document: dict[str, Any]) -> str:
    overrides = {"content_type_overrides": generator_overrides(document)}
    return OVERRIDES_HEADER + yaml.safe_dump(overrides, sort_keys=False)
