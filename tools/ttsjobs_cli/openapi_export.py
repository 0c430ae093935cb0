"""proto-schemas/openapi.json: the gateway's OpenAPI document, made from its routes and a fixed
voice catalogue.

The served /openapi.json takes its submit examples from the live catalogue (whatever voices the
workers reported). The committed document must not change with the machine it was made on, so
it is made from the catalogue below: a few voices of each provider the README names.
"""

from __future__ import annotations

import json
from typing import Any

from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.main import create_app
from ttsjobs_gateway.openapi import openapi_document


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
    return openapi_document(create_app(Settings()), FIXED_CATALOGUE)


def openapi_json() -> str:
    return json.dumps(openapi(), indent=2, ensure_ascii=False) + "\n"
