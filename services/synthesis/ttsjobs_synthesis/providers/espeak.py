"""espeak-ng through the library that espeakng-loader ships, called with ctypes.

espeak-ng keeps global state, so one lock serialises calls in this process; it is fast enough
(well over 50× real time) that this does not limit a worker. It is single-threaded, so it runs
in one process per core (TTSJOBS_ESPEAK_PROCESSES), and a job's turns run side by side.
Its word events (where each word starts, in the text and in the audio) give the turn's word
timing (engine_spans.py).
"""

from __future__ import annotations

import ctypes
import os
import tempfile
import threading
from collections.abc import Callable

import espeakng_loader
import numpy as np
from pydantic_settings import BaseSettings, SettingsConfigDict

from ttsjobs.contracts.lexicon import Alphabet
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, bcp47, language_fit
from ttsjobs.lexicons.alphabets import ipa_to_espeak, xsampa_to_ipa
from ttsjobs.lexicons.problems import LexiconProblem
from ttsjobs_synthesis.prepare_text.engine_text import PhonemesRefused
from ttsjobs_synthesis.prepare_text.plan import Piece
from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN, Pronunciation
from ttsjobs_synthesis.process_engine import InProcesses
from ttsjobs_synthesis.providers.base import Speech, SynthesisRejected, UnknownVoice
from ttsjobs_synthesis.providers.engine_spans import (
    WordStart,
    engine_text_mapped,
    timing_of_words,
    words_from_starts,
)

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_PHONEMES = 0x100  # espeakPHONEMES: read [[...]] as phoneme mnemonics
_RATE, _VOLUME, _PITCH = 1, 2, 3
_DEFAULT_PITCH = 50
_DEFAULT_WPM = 175
# espeak-ng speaks no slower than 80 words a minute: asked for less, it reads at 80 (speed 0.25
# gave the same audio as 0.46). Above 450 it speeds up with its sonic stretcher, which holds to
# 4x (700 wpm) within a few per cent. So the catalogue offers what it does: 80/175 up to 4.
_MIN_WPM, _MAX_WPM = 80, 700
SPEED_RANGE = (0.46, 4.0)
_GENDERS = {1: "male", 2: "female"}
# espeak_EVENT types: a word starts; a sentence or clause ends; the list ends.
_EVENT_LIST_END, _EVENT_WORD, _EVENT_CLAUSE_END = 0, 1, 5


class _Event(ctypes.Structure):
    """espeak_EVENT (speak_lib.h): ``text_position`` counts code points from 1."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),  # ms from the start of this synthesis
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


def _first_language(languages: bytes) -> str:
    # A run of (priority byte, language, NUL) entries; the first is the voice's own language.
    return languages[1:].split(b"\0", 1)[0].decode()


class EspeakProvider:
    name = "espeak"
    caches_segments = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self._lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        self._lib.espeak_ListVoices.argtypes = [ctypes.POINTER(_Voice)]
        self._lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self._lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        data = espeakng_loader.get_data_path().encode()
        self.sample_rate = self._lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, data, _INITIALIZE_DONT_EXIT
        )
        if self.sample_rate <= 0:
            raise RuntimeError("espeak-ng failed to initialise")
        self._chunks: list[np.ndarray] = []
        self._words: list[WordStart] = []
        self._breaks: list[WordStart] = []
        # Keep a reference: ctypes callbacks must outlive every call into the library.
        self._callback = _SynthCallback(self._collect)
        self._lib.espeak_SetSynthCallback(self._callback)
        self._load_names: dict[str, str] = {}
        voices, variants = self._list_voices()
        # Loading each voice to list it queued an event apiece; the list is bounded, and those
        # stale events would push out the first words' events of the first synthesis.
        self._say_nothing()
        # Built once: synthesize() checks every voice against it.
        self._catalogue = ProviderCatalogue(
            provider=self.name,
            description="espeak-ng: formant synthesis, 100+ languages; variants as voice+variant",
            voices=voices,
            variants=variants,
        )

    def _collect(self, wav, numsamples, events) -> int:
        if numsamples > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(numsamples,)).copy())
        i = 0
        while events[i].type != _EVENT_LIST_END:
            event = events[i]
            mark = WordStart(event.text_position - 1, event.audio_position)
            if event.type == _EVENT_WORD:
                self._words.append(mark)
            elif event.type == _EVENT_CLAUSE_END:
                self._breaks.append(mark)
            i += 1
        return 0

    def _say_nothing(self) -> None:
        nothing = b".\0"
        self._lib.espeak_Synth(nothing, len(nothing), 0, 0, 0, _CHARS_UTF8, None, None)
        self._lib.espeak_Synchronize()
        self._chunks, self._words, self._breaks = [], [], []

    def _list_voices(self) -> tuple[list[VoiceInfo], list[str]]:
        voices: list[VoiceInfo] = []
        variants: list[str] = []
        entries = self._lib.espeak_ListVoices(None)
        i = 0
        while entries[i]:
            v = entries[i].contents
            language = _first_language(v.languages)
            identifier = v.identifier.decode()
            if identifier.startswith("mb/"):
                i += 1  # MBROLA voices need databases that are not shipped
                continue
            # Voice ids are what espeak-ng's own -v takes: the language, or the file name where
            # two voices share a language (Cantonese and Cantonese written as Jyutping).
            voice_id = language
            if any(known.id == language for known in voices):
                voice_id = identifier.rsplit("/", 1)[-1]
            if not self._loads_cleanly(identifier):
                i += 1  # listed by espeak-ng, but its dictionary is not shipped
                continue
            # Loaded by file identifier: some language names (en-gb, fr-fr) do not load by name.
            self._load_names[voice_id] = identifier
            voices.append(
                VoiceInfo(
                    id=voice_id,
                    name=v.name.decode(),
                    language=bcp47(language),
                    gender=_GENDERS.get(v.gender),
                    sample_rate=self.sample_rate,
                    # language: a turn may be spoken in another (its voice's variant kept)
                    settings=["speed", "pitch", "volume", "variant", "language"],
                    speed_range=SPEED_RANGE,
                )
            )
            i += 1
        spec = _Voice(languages=b"variant")
        entries = self._lib.espeak_ListVoices(ctypes.byref(spec))
        i = 0
        while entries[i]:
            variants.append(entries[i].contents.identifier.decode().rsplit("/", 1)[-1])
            i += 1
        return voices, sorted(set(variants))

    def _loads_cleanly(self, identifier: str) -> bool:
        """espeak-ng loads a voice whose dictionary file is missing, says so on stderr, and then
        reads text by bare letter rules; such a voice is not worth listing."""
        with tempfile.TemporaryFile() as errors:
            saved = os.dup(2)
            os.dup2(errors.fileno(), 2)
            try:
                status = self._lib.espeak_SetVoiceByName(identifier.encode())
            finally:
                os.dup2(saved, 2)
                os.close(saved)
            errors.seek(0)
            return status == 0 and not errors.read()

    def catalogue(self) -> ProviderCatalogue:
        return self._catalogue

    def warm_up(self) -> None:
        """A first word: it costs milliseconds, and the first job's first turn does not."""
        self.synthesize("ready", self._catalogue.voices[0].id, speed=1.0)

    def synthesize(
        self,
        text: str,
        voice: str,
        *,
        speed: float,
        pitch: float = 1.0,
        pronunciation: Pronunciation = PLAIN,
    ) -> Speech:
        if not self._catalogue.knows_voice(voice):
            raise UnknownVoice(f"espeak has no voice {voice!r}")
        base, plus, variant = voice.partition("+")
        info = self._catalogue.voice(voice)
        language = info.language if info else ""
        if pronunciation.language and (spoken := self._speaking(language, pronunciation.language)):
            base, language = spoken.id, spoken.language
        load_name = self._load_names[base] + plus + variant
        flags = _CHARS_UTF8
        escape: Callable[[str], str] = str
        if pronunciation.has_phonemes():
            flags |= _PHONEMES
            escape = _brackets_as_text
        try:
            mapped = engine_text_mapped(
                text,
                language,
                pronunciation,
                phoneme=_espeak_phonemes,
                escape=escape,
                engine="espeak",
            )
        except (PhonemesRefused, LexiconProblem) as err:
            raise SynthesisRejected(str(err)) from err
        encoded = mapped.text.encode() + b"\0"
        with self._lock:
            if self._lib.espeak_SetVoiceByName(load_name.encode()) != 0:
                raise UnknownVoice(f"espeak could not load voice {voice!r}")
            wpm = max(_MIN_WPM, min(_MAX_WPM, round(_DEFAULT_WPM * speed)))
            self._lib.espeak_SetParameter(_RATE, wpm, 0)
            # espeak's base pitch runs 0-100 around 50.
            self._lib.espeak_SetParameter(
                _PITCH, max(0, min(100, round(_DEFAULT_PITCH * pitch))), 0
            )
            self._chunks, self._words, self._breaks = [], [], []
            status = self._lib.espeak_Synth(encoded, len(encoded), 0, 0, 0, flags, None, None)
            self._lib.espeak_Synchronize()
            chunks, self._chunks = self._chunks, []
            words, breaks = self._words, self._breaks
        if status != 0:
            raise SynthesisRejected(f"espeak could not synthesize the text (error {status})")
        if not chunks:
            raise SynthesisRejected("espeak produced no audio for the text")
        samples = np.concatenate(chunks).astype(np.int16)
        end_ms = len(samples) * 1000 // self.sample_rate
        engine_words = words_from_starts(mapped.text, words, breaks, end_ms)
        timing = timing_of_words(mapped, engine_words, samples, self.sample_rate)
        return Speech(samples, self.sample_rate, timing=timing)

    def _speaking(self, own: str, wanted: str) -> VoiceInfo | None:
        """The voice whose language a turn asks for, where the voice's own is not it; None:
        the voice's own (it is the language, or espeak has none nearer)."""
        if language_fit(own, wanted) == 2:
            return None
        fits = [(language_fit(v.language, wanted), v) for v in self._catalogue.voices]
        best = max((fit for fit, _ in fits), default=0)
        if best == 0 or best <= language_fit(own, wanted):
            return None
        primary = wanted.split("-")[0].lower()

        def plainest(voice: VoiceInfo) -> tuple[bool, bool, int]:
            # The tag asked for itself; else the language's home (fr: fr-FR, not fr-BE).
            tag = voice.language.lower()
            return tag != wanted.lower(), tag not in (primary, f"{primary}-{primary}"), len(tag)

        return min((v for fit, v in fits if fit == best), key=plainest)


def _brackets_as_text(said: str) -> str:
    """The user's own ``[[`` stays text when espeak reads ``[[...]]`` as phonemes."""
    return said.replace("[[", "[ [")


def _espeak_phonemes(piece: Piece) -> str:
    """A lexicon reading as espeak's phoneme input: its own mnemonics, or IPA (X-SAMPA through
    IPA) mapped to them; the gateway let through only what maps."""
    assert piece.phoneme is not None
    if piece.alphabet is Alphabet.espeak:
        mnemonics = piece.phoneme
    elif piece.alphabet is Alphabet.x_sampa:
        mnemonics = ipa_to_espeak(xsampa_to_ipa(piece.phoneme))
    else:
        mnemonics = ipa_to_espeak(piece.phoneme)
    return f" [[{mnemonics}]] "


class EspeakSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TTSJOBS_ESPEAK_", extra="ignore")

    processes: int | None = None  # None: one per core


def build(settings: EspeakSettings, threads: int | None) -> EspeakProvider:
    return EspeakProvider()


ENTRY = InProcesses(EspeakSettings, build)
