"""What ``POST /v1/audio/speech`` takes: OpenAI's request body, and the single_tts job it
becomes once its voice is resolved (voices.py)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ttsjobs.contracts.job_request import OutputFormat

# OpenAI's own limit is 4,096 characters; a job takes far more, so the job's limit holds.
Input = Annotated[str, Field(min_length=1, description="the text to read; as a single_tts text")]


class ResponseFormat(StrEnum):
    mp3 = "mp3"
    opus = "opus"  # Ogg Opus
    aac = "aac"  # ADTS, as OpenAI sends it
    flac = "flac"
    wav = "wav"
    pcm = "pcm"  # raw 16-bit little-endian mono at 24 kHz, as OpenAI sends it


# The job's own format for each answer: the same file where one exists; for aac the job's
# m4a, whose AAC is re-wrapped as ADTS; for pcm a 24 kHz WAV, decoded to its samples.
JOB_FORMATS: dict[ResponseFormat, OutputFormat] = {
    ResponseFormat.mp3: OutputFormat.mp3,
    ResponseFormat.opus: OutputFormat.opus,
    ResponseFormat.aac: OutputFormat.m4a,
    ResponseFormat.flac: OutputFormat.flac,
    ResponseFormat.wav: OutputFormat.wav,
    ResponseFormat.pcm: OutputFormat.wav,
}
CONTENT_TYPES: dict[ResponseFormat, str] = {
    ResponseFormat.mp3: "audio/mpeg",
    ResponseFormat.opus: "audio/ogg",
    ResponseFormat.aac: "audio/aac",
    ResponseFormat.flac: "audio/flac",
    ResponseFormat.wav: "audio/wav",
    ResponseFormat.pcm: "audio/pcm",
}
PCM_RATE = 24_000

# OpenAI's model names run the engine that has the voice; an engine's name runs that engine.
OPENAI_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")


class SpeechRequest(BaseModel):
    """OpenAI's body. Fields OpenAI has and ttsjobs does not use (``instructions``) and fields
    other servers add are ignored, as OpenAI-compatible servers do."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "model": "tts-1",
                    "input": "各位聽眾早安，歡迎收聽晨間節目。",
                    "voice": "zf_xiaoxiao",
                    "response_format": "mp3",
                    "speed": 1.0,
                },
            ]
        },
    )

    model: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        description="tts-1, tts-1-hd or gpt-4o-mini-tts (the engine that has the voice), or an"
        " engine's name (kokoro, piper, espeak…)",
        examples=["tts-1", "kokoro"],
    )
    input: Input
    voice: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        description="a catalogue voice id or blend, one of your saved voices, one of OpenAI's"
        " names (alloy, ash, ballad, coral, echo, fable, onyx, nova, sage, shimmer, verse: the"
        " operator's default voice each), or a wish to cast: a language, optionally with a"
        " gender (zh-TW, zh-TW:female)",
        examples=["af_heart", "alloy", "zh-TW:female"],
    )
    response_format: ResponseFormat = ResponseFormat.mp3
    speed: float = Field(
        default=1.0,
        ge=0.25,
        le=4.0,
        description="0.25-4 as OpenAI takes it; clamped to the voice's own range, and then"
        " the X-Ttsjobs-Speed-Clamped header names the speed asked for",
    )
    stream: bool = Field(
        default=True,
        description="mp3: audio as sentences finish (chunked); other formats and false: the"
        " whole file once the job has completed",
    )
    stream_format: Literal["audio"] = Field(
        default="audio", description="only raw audio; OpenAI's server-sent events are not sent"
    )
