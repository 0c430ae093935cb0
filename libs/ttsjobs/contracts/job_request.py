"""What a client asks for: a multi-role dialogue, the voice of each role, the output format.

The gateway validates requests against this model and the limits; synthesis checks the same
limits again, because events can come from anywhere on the bus.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ttsjobs.contracts.lexicon import MAX_LEXICONS_PER_USER, LexiconName, UsedEntry
from ttsjobs.contracts.strings import SAYS_SOMETHING, STORABLE, SpeakerName, Text
from ttsjobs.contracts.turn_markup import MAX_MARKS, MAX_SPOKEN_AS, Mark, SpokenAs, markup_problem


class OutputFormat(StrEnum):
    wav = "wav"
    flac = "flac"
    mp3 = "mp3"
    ogg = "ogg"  # Vorbis
    opus = "opus"  # Opus in Ogg
    m4a = "m4a"  # AAC in MP4


CONTENT_TYPES: dict[OutputFormat, str] = {
    OutputFormat.wav: "audio/wav",
    OutputFormat.flac: "audio/flac",
    OutputFormat.mp3: "audio/mpeg",
    OutputFormat.ogg: "audio/ogg",
    OutputFormat.opus: "audio/ogg; codecs=opus",
    OutputFormat.m4a: "audio/mp4",
}
# The bitrates (kb/s) a job may ask of a lossy format; Vorbis (ogg) keeps libsndfile's own,
# because the bundled ffmpeg has no Vorbis encoder worth using.
BITRATES_KBPS: dict[OutputFormat, tuple[int, int]] = {
    OutputFormat.mp3: (32, 320),
    OutputFormat.opus: (16, 256),
    OutputFormat.m4a: (32, 192),  # AAC-LC, mono
}
# Past these bitrates (kb/s) a format needs a rate of HIGH_RATE or more: MP3 under 32 kHz is
# MPEG-2 (at most 160 kb/s), and ffmpeg's AAC spends no more than about 100 kb/s at 24 kHz. Such
# a job is coded at 48 kHz unless it asks for a rate.
LOW_RATE_KBPS: dict[OutputFormat, int] = {OutputFormat.mp3: 160, OutputFormat.m4a: 96}
HIGH_RATE = 44_100


class Mastering(StrEnum):
    """What the job's finished mix is brought to (synthesis mastering.py)."""

    none = "none"  # every turn levelled to -20 LUFS, as always
    podcast = "podcast"  # -16 LUFS integrated, true peak at most -1 dBTP
    audiobook = "audiobook"  # ACX: RMS -23 to -18 dB, peaks at most -3 dB, floor under -60 dB


SAMPLE_RATES = (8000, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
# Opus only codes these rates; it is 48 kHz unless asked otherwise.
OPUS_SAMPLE_RATES = (8000, 12000, 16000, 24000, 48000)
MAX_PAUSE_MS = 10_000


# Numbers are numbers: strict, so that true, "1" and 300.0 (for a whole number) are refused
# rather than read as 1, 1 and 300. A JSON 1 is still a float's 1.0.
StrictMs = Annotated[int, Field(strict=True, ge=0, le=MAX_PAUSE_MS)]
SpokenText = Annotated[Text, SAYS_SOMETHING]
"""Text for a voice: at least one letter or number (``strings.says_something``)."""
MAX_CHAPTER_CHARS = 200
ChapterTitle = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_CHAPTER_CHARS), STORABLE, SAYS_SOMETHING
]


def _absent(value: object) -> bool:
    return value is None or value == []


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker: SpeakerName = Field(examples=["Alice"])
    text: SpokenText = Field(min_length=1, examples=["Hello, Bob. Shall we begin?"])
    pause_after_ms: StrictMs | None = Field(
        default=None, description="silence after this turn; else pause_ms"
    )
    chapter: ChapterTitle | None = Field(
        default=None,
        description="a chapter with this title starts at this turn (a script's '## title' line)",
    )
    # A turn's own delivery (SSML's <prosody>, <lang>): each overrides its role's for this turn.
    # Left out of the JSON when not given: a turn without them is stored, sent in JobCreated
    # (NATS' 1 MB, a long text's thousands of turns) and answered as it was before they existed.
    speed: Speed | None = Field(
        default=None, description="this turn's speed; else the role's", exclude_if=_absent
    )
    volume: Volume | None = Field(
        default=None, description="this turn's gain; else the role's", exclude_if=_absent
    )
    pitch: Pitch | None = Field(
        default=None,
        description="this turn's pitch where the voice has one; else the role's",
        exclude_if=_absent,
    )
    language: LanguageTag | None = Field(
        default=None,
        description="BCP 47: the language the voice speaks this turn in",
        exclude_if=_absent,
    )
    spoken_as: list[SpokenAs] = Field(
        default_factory=list,
        exclude_if=_absent,
        max_length=MAX_SPOKEN_AS,
        description="how single places in the text are said (SSML phoneme, sub, say-as), in"
        " order, not overlapping; code points into `text`",
    )
    marks: list[Mark] = Field(
        default_factory=list,
        exclude_if=_absent,
        max_length=MAX_MARKS,
        description="named points in the text (SSML mark); the word timing gives their times",
    )

    @model_validator(mode="after")
    def _markup_fits(self) -> Turn:
        problem = markup_problem(self.text, self.spoken_as, self.marks)
        if problem is not None:
            raise ValueError(problem)
        return self


LanguageTag = Annotated[
    str,
    StringConstraints(min_length=2, max_length=35, pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"),
    STORABLE,
]

# A voice and its settings, bounded the same wherever a request names them: a dialogue's roles
# and a single text. Whether a voice can do what is asked is casting's voice_problems.
VoiceId = Annotated[str, StringConstraints(min_length=1, max_length=128), STORABLE]
Speed = Annotated[float, Field(strict=True, ge=0.25, le=4.0)]
Pitch = Annotated[float, Field(strict=True, ge=0.5, le=2.0)]
Volume = Annotated[float, Field(strict=True, ge=0.1, le=4.0)]
SampleRate = Annotated[int, Field(strict=True)]
Bitrate = Annotated[int, Field(strict=True)]


class Gender(StrEnum):
    female = "female"
    male = "male"


class Reading(StrEnum):
    """How a Mandarin voice reads the characters: Taiwan's standard readings (the Ministry of
    Education's dictionary: 垃圾 lè sè, 星期 xīng qí) or the mainland's (lā jī, xīng qī)."""

    taiwan = "taiwan"
    mainland = "mainland"


class VoiceAssignment(BaseModel):
    """A role's voice: a voice id, or only a wish (language, gender) that the gateway casts into
    a voice; the job's stored input always names the voice that was used."""

    model_config = ConfigDict(extra="forbid")

    voice: VoiceId | None = Field(default=None, examples=["af_heart"])
    language: LanguageTag | None = Field(
        default=None,
        description="BCP 47; a wish when no voice is named (zh-TW casts a Mandarin voice)",
        examples=["zh-TW"],
    )
    gender: Gender | None = Field(default=None, description="a wish when no voice is named")
    speed: Speed = Field(default=1.0, description="1.0 is the voice's own pace")
    pitch: Pitch = Field(default=1.0, description="1.0 is the voice's own pitch (espeak only)")
    volume: Volume = Field(
        default=1.0,
        description="gain after every role is brought to the same loudness; 1.0 keeps it there",
    )
    reading: Reading | None = Field(
        default=None,
        description="how a Mandarin voice reads: taiwan or mainland; by default taiwan for a"
        " zh-TW wish or Traditional text, else mainland. The stored job names it.",
    )

    @model_validator(mode="after")
    def _a_voice_or_a_wish(self) -> VoiceAssignment:
        if self.voice is not None and (self.language is not None or self.gender is not None):
            raise ValueError("name a voice, or wish for a language and gender, not both")
        return self


class MultiRoleRequest(BaseModel):
    """The original parameters of a multi-role job, kept with the job for replay."""

    model_config = ConfigDict(extra="forbid")

    provider: Annotated[str, StringConstraints(min_length=1, max_length=32), STORABLE] | None = (
        Field(
            default=None,
            description="the engine; without one, the best installed that can cast every role",
            examples=["kokoro"],
        )
    )
    turns: list[Turn] = Field(min_length=1)
    voice_assignments: dict[SpeakerName, VoiceAssignment] = Field(
        default_factory=dict,
        description="per speaker that has a turn: a voice, or a wish to cast from; a speaker"
        " left out is cast",
    )
    output_format: OutputFormat = OutputFormat.wav
    sample_rate: SampleRate | None = Field(
        default=None, description=f"one of {', '.join(map(str, SAMPLE_RATES))}; else the voice's"
    )
    pause_ms: StrictMs | None = Field(
        default=None, description="silence between turns; else 300 ms"
    )
    mastering: Mastering = Field(
        default=Mastering.none,
        description="podcast: -16 LUFS, true peak -1 dBTP; audiobook: ACX's limits; none: each"
        " turn levelled to -20 LUFS",
    )
    bitrate_kbps: Bitrate | None = Field(
        default=None, description="mp3 32-320, opus 16-256, m4a 32-192; else the encoder's own"
    )
    stems: Annotated[bool, Field(strict=True)] = Field(
        default=False,
        description="also store one track per speaker (a zip of FLAC, GET .../stems), each as"
        " long as the audio, that add up to it before mastering",
    )
    title: Annotated[str, StringConstraints(max_length=200), STORABLE] | None = None
    lexicons: list[LexiconName] = Field(
        default_factory=list,
        max_length=MAX_LEXICONS_PER_USER,
        description="your pronunciation lexicons (PUT /api/v1/lexicons/{name}) this job uses;"
        " for a word in several, the first listed wins",
        examples=[["taiwan-brands"]],
    )
    # A job keeps the entries it used, so that running its stored input again (the web app's
    # and the CLI's "run again") sounds the same after a lexicon changed: a request that
    # carries them is read with them, and the named lexicons are not looked up again.
    lexicon_entries: list[UsedEntry] | None = Field(
        default=None,
        description="the entries of the named lexicons this job uses, as they were at submit;"
        " the server fills it in from `lexicons`. Sent back (a stored job run again), it is used"
        " as it is, and the lexicons are not read again.",
    )
    callback_url: Annotated[str, StringConstraints(max_length=2000), STORABLE] | None = Field(
        default=None,
        description="http(s) URL that gets the job's final event (completed, failed or "
        "cancelled) as a signed POST; it must be on the operator's callback allowlist",
        examples=["https://hooks.example.com/ttsjobs"],
    )

    @field_validator("callback_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return http_url(value)

    @field_validator("sample_rate")
    @classmethod
    def _known_rate(cls, value: int | None) -> int | None:
        return known_rate(value)

    @field_validator("lexicons")
    @classmethod
    def _named_once(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("names a lexicon twice")
        return value

    def speakers(self) -> list[str]:
        return list(dict.fromkeys(t.speaker for t in self.turns))


class JobType(StrEnum):
    multi_role_tts = "multi_role_tts"
    single_tts = "single_tts"  # one voice reads a long text; its turns are the text's sentences


def http_url(value: str | None) -> str | None:
    """A callback URL: http(s), with a host and without credentials."""
    if value is None:
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http or https URL with a host")
    if parts.username or parts.password:
        raise ValueError("must not carry credentials")
    return value


def known_rate(value: int | None) -> int | None:
    if value is not None and value not in SAMPLE_RATES:
        raise ValueError(f"must be one of {', '.join(map(str, SAMPLE_RATES))}")
    return value


class RequestLimits(BaseModel):
    """Size limits of one job; settings on both the gateway and synthesis."""

    max_turns: int = 200
    max_chars_per_turn: int = 2_000
    max_total_chars: int = 20_000
    max_speakers: int = 10
    # single_tts: a long text, split into sentences that become its turns. The turn count and
    # total above are a dialogue's; a text is bounded by its own length instead.
    max_single_chars: int = 100_000
    # The longest piece an engine gets, in spoken length (a Han character, kana or Hangul
    # syllable counts four: sentences.spoken_length): a longer sentence is cut near it. Kokoro
    # reads about 500 phonemes at once; 300 stay below that in English and Chinese alike.
    max_sentence_chars: int = 300
    # Every sentence is a turn that the job's events list: past this many, neighbouring
    # sentences are read together, so that JobCreated and JobCompleted stay far below NATS'
    # 1 MB message limit (about 140 bytes of timing per turn).
    max_single_pieces: int = 4_000
    # The longest audio one job may make, estimated at submit (contracts/duration.py) and
    # checked again by synthesis against what it really made: 3 hours.
    max_audio_seconds: int = 10_800


class FieldProblem(ValueError):
    """One thing wrong with a request, naming the field (``turns[3].text``) and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def request_problems(
    request: MultiRoleRequest,
    limits: RequestLimits,
    job_type: JobType = JobType.multi_role_tts,
) -> list[FieldProblem]:
    """What the model alone cannot check: the size limits, and every speaker has a voice."""
    problems: list[FieldProblem] = []
    for i, turn in enumerate(request.turns):
        if len(turn.text) > limits.max_chars_per_turn:
            problems.append(
                FieldProblem(
                    f"turns[{i}].text",
                    f"{len(turn.text)} characters; at most {limits.max_chars_per_turn} per turn",
                )
            )
    problems += _unused_assignments(request)
    problems += size_problems(request, limits, job_type)
    if (
        request.output_format is OutputFormat.opus
        and request.sample_rate is not None
        and request.sample_rate not in OPUS_SAMPLE_RATES
    ):
        rates = ", ".join(map(str, OPUS_SAMPLE_RATES))
        problems.append(FieldProblem("sample_rate", f"opus codes only {rates}"))
    problems += bitrate_problems(request.output_format, request.bitrate_kbps, request.sample_rate)
    return problems


def bitrate_problems(fmt: OutputFormat, kbps: int | None, rate: int | None) -> list[FieldProblem]:
    if kbps is None:
        return []
    if fmt not in BITRATES_KBPS:
        lossy = ", ".join(BITRATES_KBPS)
        return [FieldProblem("bitrate_kbps", f"{fmt.value} takes no bitrate; only {lossy} do")]
    low, high = BITRATES_KBPS[fmt]
    if not low <= kbps <= high:
        return [FieldProblem("bitrate_kbps", f"{fmt.value} codes {low} to {high} kb/s")]
    if needs_high_rate(fmt, kbps) and rate is not None and rate < HIGH_RATE:
        most = LOW_RATE_KBPS[fmt]
        reason = f"{fmt.value} at {rate} Hz codes at most {most} kb/s; ask {HIGH_RATE} Hz or more"
        return [FieldProblem("bitrate_kbps", reason)]
    return []


def needs_high_rate(fmt: OutputFormat, kbps: int | None) -> bool:
    return kbps is not None and kbps > LOW_RATE_KBPS.get(fmt, kbps)


def size_problems(
    request: MultiRoleRequest,
    limits: RequestLimits,
    job_type: JobType = JobType.multi_role_tts,
) -> list[FieldProblem]:
    """How much the request holds: its turns, their characters in all, its speakers. The
    gateway checks these before any work whose cost grows with them (casting, estimating)."""
    if job_type is JobType.single_tts:
        # A dialogue's turn count and total do not apply: the turns are the text's sentences.
        limits = limits.model_copy(
            update={
                "max_turns": limits.max_single_chars,
                "max_total_chars": limits.max_single_chars,
            }
        )
    problems: list[FieldProblem] = []
    if len(request.turns) > limits.max_turns:
        problems.append(turn_count_problem(len(request.turns), limits))
    total = sum(len(t.text) for t in request.turns)
    if total > limits.max_total_chars:
        problems.append(
            FieldProblem("turns", f"{total} characters in all; at most {limits.max_total_chars}")
        )
    speakers = len(request.speakers())
    if speakers > limits.max_speakers:
        problems.append(
            FieldProblem("turns", f"{speakers} speakers; at most {limits.max_speakers}")
        )
    return problems


def turn_count_problem(turns: int, limits: RequestLimits) -> FieldProblem:
    return FieldProblem("turns", f"{turns} turns; at most {limits.max_turns}")


_NAMED_AT_MOST = 10  # 5,000 unused keys are one problem each for the first few, then a count


def _unused_assignments(request: MultiRoleRequest) -> list[FieldProblem]:
    """A voice for a speaker with no turn is refused: it is a mistake, and unbounded otherwise."""
    used = set(request.speakers())
    unused = [key for key in request.voice_assignments if key not in used]
    problems = [
        FieldProblem(f"voice_assignments.{key}", "no turn has this speaker; assign only those")
        for key in unused[:_NAMED_AT_MOST]
    ]
    if len(unused) > _NAMED_AT_MOST:
        problems.append(
            FieldProblem(
                "voice_assignments",
                f"{len(unused)} entries name no speaker of a turn; "
                f"the first {_NAMED_AT_MOST} are listed",
            )
        )
    return problems
