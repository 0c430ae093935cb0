"""single_tts: one voice reads a long text. At the edge it becomes a one-speaker dialogue.

``expand`` turns a ``SingleRequest`` into the ``MultiRoleRequest`` the multi-role flow runs: the
text's sentences (``ttsjobs.contracts.sentences``) are the turns of one speaker, ``narrator``.
So synthesis' parallel turns, segment cache, crash resume, progress (in sentences) and captions
(a cue per sentence) are the same code. The split is lossless, so ``single_of`` gives back the
request as sent (the voice as cast) from the stored one: nothing is stored twice.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ttsjobs.contracts.duration import over_limit, speaking_ms
from ttsjobs.contracts.job_request import (
    Bitrate,
    FieldProblem,
    Gender,
    LanguageTag,
    Mastering,
    MultiRoleRequest,
    OutputFormat,
    Pitch,
    Reading,
    RequestLimits,
    SampleRate,
    Speed,
    StrictMs,
    Turn,
    VoiceAssignment,
    VoiceId,
    Volume,
    http_url,
    known_rate,
)
from ttsjobs.contracts.lexicon import MAX_LEXICONS_PER_USER, LexiconName, UsedEntry
from ttsjobs.contracts.sentences import Piece, PieceEnd, packed, split_sentences
from ttsjobs.contracts.strings import SAYS_SOMETHING, STORABLE, Text, says_something

NARRATOR = "narrator"
SENTENCE_PAUSE_MS = 150  # short: a reader breathes between sentences, and does not stop
PARAGRAPH_PAUSE_MS = 600


class SingleRequest(BaseModel):
    """A long text read by one voice; a voice id, or a wish (language, gender) to cast from."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[Text, SAYS_SOMETHING] = Field(
        min_length=1, description="up to 100,000 characters; split at sentences"
    )
    voice: VoiceId | None = Field(default=None, examples=["af_heart"])
    language: LanguageTag | None = Field(
        default=None, description="BCP 47; a wish when no voice is named", examples=["zh-TW"]
    )
    gender: Gender | None = Field(default=None, description="a wish when no voice is named")
    speed: Speed = Field(default=1.0, description="1.0 is the voice's own pace")
    pitch: Pitch = Field(default=1.0, description="1.0 is the voice's own pitch")
    volume: Volume = Field(default=1.0, description="gain; 1.0 keeps it")
    reading: Reading | None = Field(
        default=None, description="how a Mandarin voice reads: taiwan or mainland (as in dialogues)"
    )
    lexicons: list[LexiconName] = Field(
        default_factory=list,
        max_length=MAX_LEXICONS_PER_USER,
        description="your pronunciation lexicons this job uses; the first listed wins",
    )
    lexicon_entries: list[UsedEntry] | None = Field(
        default=None, description="as in dialogues: the entries used, as they were at submit"
    )
    provider: Annotated[str, StringConstraints(min_length=1, max_length=32), STORABLE] | None = (
        Field(default=None, description="the engine; without one, the best that has the voice")
    )
    output_format: OutputFormat = OutputFormat.wav
    sample_rate: SampleRate | None = Field(
        default=None, description="a rate of SAMPLE_RATES; else the voice's"
    )
    mastering: Mastering = Field(default=Mastering.none, description="as in dialogues")
    bitrate_kbps: Bitrate | None = Field(default=None, description="as in dialogues")
    pause_ms: StrictMs | None = Field(
        default=None,
        description=f"silence between sentences; else {SENTENCE_PAUSE_MS} ms"
        f" ({PARAGRAPH_PAUSE_MS} ms after a paragraph)",
    )
    title: Annotated[str, StringConstraints(max_length=200), STORABLE] | None = None
    callback_url: Annotated[str, StringConstraints(max_length=2000), STORABLE] | None = Field(
        default=None, description="as in multi-role jobs: gets the final event, signed"
    )

    @field_validator("callback_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return http_url(value)

    @field_validator("sample_rate")
    @classmethod
    def _known_rate(cls, value: int | None) -> int | None:
        return known_rate(value)

    @model_validator(mode="after")
    def _a_voice_or_a_wish(self) -> SingleRequest:
        if self.voice is not None and (self.language is not None or self.gender is not None):
            raise ValueError("name a voice, or wish for a language and gender, not both")
        return self

    def voice_assignment(self) -> VoiceAssignment:
        return VoiceAssignment(
            voice=self.voice,
            language=self.language,
            gender=self.gender,
            speed=self.speed,
            pitch=self.pitch,
            volume=self.volume,
            reading=self.reading,
        )


def single_problems(single: SingleRequest, limits: RequestLimits) -> list[FieldProblem]:
    """What must hold before the text is split: its length, and the length of its audio
    without the pauses between sentences (those are known once it is split)."""
    if len(single.text) > limits.max_single_chars:
        return [
            FieldProblem(
                "text", f"{len(single.text)} characters; at most {limits.max_single_chars}"
            )
        ]
    return over_limit(speaking_ms(single.text, speed=single.speed), limits, field="text")


def _pause_after(end: PieceEnd) -> int | None:
    if end is PieceEnd.cut:
        return 0
    return PARAGRAPH_PAUSE_MS if end is PieceEnd.paragraph else None  # None: pause_ms


def _spoken(pieces: list[Piece]) -> list[Piece]:
    """Each piece with nothing to say ("* * *", "……") read with the next one (the last with the
    one before), so that every turn says something; still lossless."""
    out: list[Piece] = []
    waiting = ""
    for piece in pieces:
        if not says_something(piece.text):
            waiting += piece.text
            continue
        out.append(Piece(waiting + piece.text, piece.end) if waiting else piece)
        waiting = ""
    if waiting and out:
        out[-1] = Piece(out[-1].text + waiting, out[-1].end)
    return out or pieces  # a text with nothing to say is refused before it is split


def expand(single: SingleRequest, limits: RequestLimits) -> MultiRoleRequest:
    """The one-speaker dialogue the job runs: a turn per sentence.

    Raises pydantic.ValidationError for what only the dialogue's model checks (the sample rate,
    the callback URL); the gateway answers it like any other field problem.
    """
    pieces = _spoken(
        packed(
            split_sentences(single.text, max_chars=limits.max_sentence_chars),
            max_pieces=limits.max_single_pieces,
            max_chars=limits.max_sentence_chars,
        )
    )
    return MultiRoleRequest(
        provider=single.provider,
        turns=[
            Turn(speaker=NARRATOR, text=p.text, pause_after_ms=_pause_after(p.end)) for p in pieces
        ],
        voice_assignments={NARRATOR: single.voice_assignment()},
        output_format=single.output_format,
        sample_rate=single.sample_rate,
        mastering=single.mastering,
        bitrate_kbps=single.bitrate_kbps,
        pause_ms=SENTENCE_PAUSE_MS if single.pause_ms is None else single.pause_ms,
        title=single.title,
        callback_url=single.callback_url,
        lexicons=single.lexicons,
        lexicon_entries=single.lexicon_entries,
    )


def runs_as_text(request: MultiRoleRequest) -> bool:
    """Whether ``single_of(request)``, sent again, runs what this job ran: true of every job
    made from a text, whose turns are its sentences with their pauses; false of one made from a
    document whose markup (SSML: a break, a prosody, a phoneme, a mark...) a text cannot carry,
    or whose pause between sentences a text does not give."""
    if request.pause_ms is None:
        return False
    return all(
        turn.speaker == NARRATOR
        and turn.pause_after_ms in _TEXT_PAUSES
        and (turn.speed, turn.volume, turn.pitch, turn.language) == (None, None, None, None)
        and not turn.spoken_as
        and not turn.marks
        for turn in request.turns
    )


_TEXT_PAUSES = (None, 0, PARAGRAPH_PAUSE_MS)  # _pause_after's


def single_of(request: MultiRoleRequest) -> SingleRequest:
    """The single_tts request a stored job ran, as a client would send it to run it again."""
    voice = request.voice_assignments.get(NARRATOR) or VoiceAssignment()
    # Not validated again: it was, when submitted; and a recorded job is shown as it was.
    return SingleRequest.model_construct(
        text="".join(t.text for t in request.turns),
        voice=voice.voice,
        language=voice.language,
        gender=voice.gender,
        speed=voice.speed,
        pitch=voice.pitch,
        volume=voice.volume,
        reading=voice.reading,
        lexicons=request.lexicons,
        lexicon_entries=request.lexicon_entries,
        provider=request.provider,
        output_format=request.output_format,
        sample_rate=request.sample_rate,
        mastering=request.mastering,
        bitrate_kbps=request.bitrate_kbps,
        pause_ms=request.pause_ms,
        title=request.title,
        callback_url=request.callback_url,
    )


_NARRATOR_FIELD = re.compile(rf"^voice_assignments\.{NARRATOR}(\.|$)")
_TURN_FIELD = re.compile(r"^turns(\[(\d+)\])?(\.text)?$")


def single_field(problem: FieldProblem, request: MultiRoleRequest) -> FieldProblem:
    """A problem found on the dialogue, named as a field of the single request."""
    if (narrator := _NARRATOR_FIELD.match(problem.field)) is not None:
        rest = problem.field[narrator.end() :]
        return FieldProblem(rest or "voice", problem.reason)
    if (turn := _TURN_FIELD.match(problem.field)) is not None:
        if turn.group(2) is None:
            return FieldProblem("text", problem.reason)
        index = int(turn.group(2))
        sentence = request.turns[index].text.strip() if index < len(request.turns) else ""
        quoted = sentence if len(sentence) <= 40 else sentence[:40] + "…"
        return FieldProblem("text", f"sentence {index + 1} ({quoted!r}): {problem.reason}")
    return problem


def single_problems_of(
    problems: list[FieldProblem], request: MultiRoleRequest, *, at_most: int = 5
) -> list[FieldProblem]:
    """The dialogue's problems named for the single request; a text whose every sentence has
    the same problem (Chinese for an English voice) gets a few of them and a count, not 3,000."""
    named = [single_field(p, request) for p in problems]
    text = [p for p in named if p.field == "text"]
    others = [p for p in named if p.field != "text"]
    if len(text) > at_most:
        more = FieldProblem("text", f"and {len(text) - at_most} more sentences like these")
        text = [*text[:at_most], more]
    return others + text
