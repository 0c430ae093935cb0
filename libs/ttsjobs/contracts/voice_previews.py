"""Voice previews: a short line in a voice, heard before a job, that is never a job.

The gateway asks over NATS request-reply (``VOICE_PREVIEW_SUBJECT``, any synthesis worker
answers) only when the bucket has no preview under ``preview_key`` yet; synthesis speaks the
line through the same engines and prepare-text stage as a job's turns, stores the WAV under
that key and answers with the key alone, so messages stay small. The line is chosen here, by
the voice's language and reading standard, never from user text: one preview serves every
user who asks for the same voice and settings.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict, Field

from ttsjobs.contracts.job_request import Reading
from ttsjobs.contracts.readings import is_mandarin

VOICE_PREVIEW_SUBJECT = "ttsjobs.voices.preview"
VOICE_PREVIEW_QUEUE = "synthesis-voice-preview"
PREVIEWS_PREFIX = "previews/"
# Bump when the lines, the stored form or what the engines make of the same line changes:
# the keys move, and the old previews are simply never asked for again.
FORMAT_VERSION = 1

# Taiwan readings go with Traditional text, mainland ones with Simplified, as in a job. The
# line holds 星期, which the standards read apart (xīng qí / xīng qī): the two previews differ
# where a listener choosing a standard should hear it.
MANDARIN_LINES = {
    Reading.taiwan: "你好，歡迎收聽！這個星期，由我為你朗讀。",
    Reading.mainland: "你好，欢迎收听！这个星期，由我为你朗读。",
}
# By primary language subtag. Each line is in the language's own script: engines refuse text
# their voice's language cannot read (writing.script_problem).
LINES = {
    "en": "Hello! This is my voice. How does it sound to you?",
    "es": "¡Hola! Esta es mi voz. ¿Qué te parece?",
    "fr": "Bonjour ! Voici ma voix. Qu'en pensez-vous ?",
    "de": "Hallo! Das ist meine Stimme. Wie gefällt sie Ihnen?",
    "it": "Ciao! Questa è la mia voce. Come ti sembra?",
    "pt": "Olá! Esta é a minha voz. O que você acha?",
    "nl": "Hallo! Dit is mijn stem. Hoe klinkt die?",
    "hi": "नमस्ते! यह मेरी आवाज़ है।",
    "ja": "こんにちは。これが わたしの こえです。",  # kana: espeak-ng reads no kanji
    "ko": "안녕하세요. 이것이 제 목소리입니다.",
    "ru": "Здравствуйте! Так звучит мой голос.",
    "yue": "你好，呢個係我嘅聲音。",
}
# Any other language counts: digits are read by every voice, in its own language.
COUNTING = "1, 2, 3, 4, 5."


def sample_line(language: str, reading: Reading | None) -> str:
    """The line a voice of ``language`` (BCP 47) says as its preview."""
    if is_mandarin(language):
        return MANDARIN_LINES[reading or Reading.mainland]
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return LINES.get(primary, COUNTING)


class VoicePreviewAsked(BaseModel):
    """What the gateway asks synthesis to speak and store (a cache miss)."""

    model_config = ConfigDict(extra="forbid")

    provider: str
    voice: str
    speed: float = Field(description="already rounded (preview_speed)")
    reading: Reading | None = Field(default=None, description="Mandarin voices only")
    text: str = Field(description="the sample line (sample_line), never user text")

    @property
    def key(self) -> str:
        return preview_key(self)


class VoicePreviewStored(BaseModel):
    """Synthesis' answer: the preview is in the bucket under ``key``."""

    key: str


class VoicePreviewFailed(BaseModel):
    """Synthesis' answer when it cannot make the preview; ``field`` names the request field
    at fault (``voice``), or is None when the failure is synthesis' own."""

    problem: str
    field: str | None = None


def preview_speed(speed: float) -> float:
    """The speed a preview is made at: the nearest 0.05. A listener cannot tell 1.03 from
    1.05, and the steps bound how many previews the shared cache can ever hold."""
    return round(round(speed * 20) / 20, 2)


def preview_key(asked: VoicePreviewAsked) -> str:
    """Where the preview of ``asked`` is stored: a digest of everything that shapes it."""
    identity = [
        FORMAT_VERSION,
        asked.provider,
        asked.voice,
        preview_speed(asked.speed),
        asked.reading.value if asked.reading else None,
        asked.text,
    ]
    digest = hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()
    return f"{PREVIEWS_PREFIX}{digest}.wav"
