"""A turn's own speed, pitch, volume and language override its role's, and the segment cache's
key covers every one of them that changes the sound (volume is applied after the cache), so a
turn with markup never reuses another's audio; a turn without markup keeps its key."""

from __future__ import annotations

from ttsjobs.contracts.job_request import Turn, VoiceAssignment
from ttsjobs.contracts.turn_markup import SpokenAs
from ttsjobs.contracts.voices import VoiceInfo
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.segments import segment_key
from ttsjobs_synthesis.turn_delivery import delivery, spans_as_synthesised

ROLE = VoiceAssignment(voice="en-us", speed=1.2, pitch=0.9, volume=0.8)


def test_a_turns_own_values_override_its_roles():
    plain = delivery(Turn(speaker="A", text="Hello."), ROLE)
    assert (plain.speed, plain.pitch, plain.volume, plain.language) == (1.2, 0.9, 0.8, None)
    own = delivery(
        Turn(speaker="A", text="Hello.", speed=1.5, pitch=1.3, volume=0.5, language="fr-FR"),
        ROLE,
    )
    assert (own.speed, own.pitch, own.volume, own.language) == (1.5, 1.3, 0.5, "fr-FR")


def _key(speed: float = 1.0, pitch: float = 1.0, pronunciation: Pronunciation | None = None):
    return segment_key(
        owner="u1",
        provider="kokoro",
        voice="af_heart",
        speed=speed,
        pitch=pitch,
        text="WWW and WWW",
        sample_rate=24_000,
        pronunciation=(pronunciation or Pronunciation()).identity(),
    )


def test_the_segment_key_covers_everything_a_turn_changes_in_the_sound():
    alias = SpokenAs(char_start=0, char_end=3, alias="World Wide Web")
    other_alias = SpokenAs(char_start=8, char_end=11, alias="World Wide Web")
    digits = SpokenAs(char_start=0, char_end=3, interpret_as="characters")
    phoneme = SpokenAs(char_start=0, char_end=3, phoneme="wɛb", alphabet="ipa")
    keys = [
        _key(),
        _key(speed=1.5),
        _key(pitch=1.3),
        _key(pronunciation=Pronunciation(language="en-GB")),
        _key(pronunciation=Pronunciation(spoken_as=(alias,))),
        _key(pronunciation=Pronunciation(spoken_as=(other_alias,))),
        _key(pronunciation=Pronunciation(spoken_as=(digits,))),
        _key(pronunciation=Pronunciation(spoken_as=(phoneme,))),
    ]
    assert len(set(keys)) == len(keys)
    assert _key(pronunciation=Pronunciation(spoken_as=(alias,))) == _key(
        pronunciation=Pronunciation(spoken_as=(alias,))
    )


def test_a_turn_without_markup_keeps_the_key_it_had():
    # The identity before turns carried markup: [reading, entries].
    assert Pronunciation("taiwan").identity() == '["taiwan", []]'


def test_spans_move_with_the_text_into_nfc():
    decomposed = "Cafe\u0301 WWW"  # 'é' written as e + combining acute: one code point in NFC
    turn = Turn(
        speaker="A", text=decomposed, spoken_as=[SpokenAs(char_start=6, char_end=9, alias="web")]
    )
    (span,) = spans_as_synthesised(turn)
    assert (span.char_start, span.char_end) == (5, 8)
    assert "Café WWW"[span.char_start : span.char_end] == "WWW"


KOKORO_VOICE = VoiceInfo(
    id="af_heart",
    name="Heart",
    language="en-US",
    sample_rate=24_000,
    settings=["speed", "volume", "language"],
    speed_range=(0.5, 2.0),
)


def test_a_turns_speed_is_kept_within_its_voices_range():
    fast = Turn(speaker="A", text="Hello.", speed=3.0)
    assert delivery(fast, ROLE).speed == 3.0
    assert delivery(fast, ROLE, KOKORO_VOICE).speed == 2.0
    assert delivery(Turn(speaker="A", text="Hello."), ROLE, KOKORO_VOICE).speed == 1.2


def test_a_turn_in_its_voices_own_language_is_the_voices_sound():
    assert (
        delivery(Turn(speaker="A", text="Hi.", language="en-US"), ROLE, KOKORO_VOICE).language
        is None
    )
    assert (
        delivery(Turn(speaker="A", text="Hi.", language="en"), ROLE, KOKORO_VOICE).language is None
    )
    assert (
        delivery(Turn(speaker="A", text="Hi.", language="en-GB"), ROLE, KOKORO_VOICE).language
        == "en-GB"
    )


def test_phonemes_the_voice_cannot_read_are_left_to_be_said_as_written():
    pinyin = SpokenAs(char_start=0, char_end=3, phoneme="wan3", alphabet="pinyin")
    ipa = SpokenAs(char_start=8, char_end=11, phoneme="wɛb", alphabet="ipa")
    turn = Turn(speaker="A", text="WWW and WWW", spoken_as=[pinyin, ipa])
    assert spans_as_synthesised(turn) == (pinyin, ipa)
    assert spans_as_synthesised(turn, "kokoro", KOKORO_VOICE) == (ipa,)
    assert spans_as_synthesised(turn, "piper", KOKORO_VOICE) == ()
    # In Mandarin (the voice switches), pinyin is what Kokoro reads.
    mandarin = turn.model_copy(update={"language": "zh-TW"})
    assert spans_as_synthesised(mandarin, "kokoro", KOKORO_VOICE) == (pinyin,)
