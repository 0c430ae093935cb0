"""Kokoro-82M neural voices (int8 ONNX through kokoro-onnx): English, Mandarin and more.

A voice is a style vector; its id's first letter names the language, the second the gender
(``zf_xiaoxiao``: Mandarin, female). English, Spanish, French, Hindi, Italian and Portuguese
are phonemised by espeak-ng; Mandarin is read word by word by the prepare-text stage
(prepare_text/mandarin.py: Taiwan or mainland readings, lexicons, Latin words), whose readings
become Kokoro's phonemes. Every voice gets phonemes, so what a lexicon says is spliced in the
same way for all. Japanese voices need a G2P this install does not have, so they are not listed.

The model loads once per engine process, which then says a first word before its first turn
(see kokoro_assets for where the model comes from, and for its settings); the session runs with
the thread count this process was given.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import onnxruntime

from ttsjobs.contracts.lexicon import Alphabet
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, language_fit
from ttsjobs.contracts.writing import script_problem
from ttsjobs.lexicons.alphabets import xsampa_to_ipa
from ttsjobs.lexicons.problems import LexiconProblem
from ttsjobs_synthesis.prepare_text.plan import Piece
from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN, Pronunciation
from ttsjobs_synthesis.process_engine import InProcesses
from ttsjobs_synthesis.providers import kokoro_assets, kokoro_blend
from ttsjobs_synthesis.providers.base import Speech, SynthesisRejected
from ttsjobs_synthesis.providers.kokoro_durations import FRAME_SAMPLES
from ttsjobs_synthesis.providers.kokoro_timing import (
    PhonemeMap,
    espeak_map,
    mandarin_map,
    timing_of,
)

if TYPE_CHECKING:
    from kokoro_onnx import Kokoro
    from kokoro_onnx.sliding import Timing as PhonemeTime

    from ttsjobs_synthesis.prepare_text.mandarin import MandarinStage

SAMPLE_RATE = 24_000
# What the model's duration predictor was trained for, and what kokoro-onnx accepts; it holds
# to it: 0.5 makes audio 2.1x as long, 2.0 makes it 1.7x as short.
SPEED_RANGE = (0.5, 2.0)
# The silence kokoro-onnx puts where it cuts a long turn into batches, after a sentence or a
# clause: its defaults, which ``create()`` used.
SENTENCE_PAUSE, CLAUSE_PAUSE = 0.25, 0.1


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47, as the catalogue lists it
    espeak: str | None  # espeak-ng's language for phonemes; None: misaki's Mandarin G2P


# The first letter of a voice id. Japanese ("j") is left out: its G2P is not installed.
LANGUAGES = {
    "a": Language("en-US", "en-us"),
    "b": Language("en-GB", "en-gb"),
    "e": Language("es-ES", "es"),
    "f": Language("fr-FR", "fr-fr"),
    "h": Language("hi-IN", "hi"),
    "i": Language("it-IT", "it"),
    "p": Language("pt-BR", "pt-br"),
    "z": Language("zh-CN", None),
}
GENDERS = {"f": "female", "m": "male"}
# The catalogue lists voices best first (Kokoro's own quality grades), which is also the order
# casting picks them in; voices not named here follow in alphabetical order.
PREFERRED = [
    "af_heart", "af_bella", "am_fenrir", "am_michael", "am_puck", "af_nicole", "af_aoede",
    "af_kore", "af_sarah", "af_nova", "af_alloy", "af_sky",
    "bf_emma", "bm_george", "bm_fable", "bf_isabella", "bm_lewis", "bm_daniel",
    "zf_xiaoxiao", "zm_yunxi", "zf_xiaoyi", "zm_yunjian", "zf_xiaobei", "zm_yunyang",
    "zf_xiaoni", "zm_yunxia",
]  # fmt: skip


def _preference(voice_id: str) -> tuple[int, str]:
    return (PREFERRED.index(voice_id) if voice_id in PREFERRED else len(PREFERRED), voice_id)


def voice_info(voice_id: str) -> VoiceInfo | None:
    language = LANGUAGES.get(voice_id[:1])
    gender = GENDERS.get(voice_id[1:2])
    if language is None or gender is None or voice_id[2:3] != "_":
        return None
    return VoiceInfo(
        id=voice_id,
        name=voice_id[3:].replace("_", " ").title(),
        language=language.tag,
        gender=gender,
        sample_rate=SAMPLE_RATE,
        # language: a turn may be read in another of Kokoro's languages, in this voice's style
        settings=["speed", "volume", "language"],
        speed_range=SPEED_RANGE,
    )


class KokoroProvider:
    name = "kokoro"
    caches_segments = True

    def __init__(self, assets_dir: Path | None = None, *, threads: int | None = None) -> None:
        self._dir = assets_dir or kokoro_assets.default_dir()
        self._threads = threads
        voices = np.load(kokoro_assets.check_voices(self._dir))
        self._infos = {
            info.id: info
            for voice_id in sorted(voices.files, key=_preference)
            if (info := voice_info(voice_id)) is not None
        }
        self._styles = {voice_id: voices[voice_id] for voice_id in self._infos}
        self._engine: Kokoro | None = None  # both loaded on first use, in the worker process
        self._mandarin_stage: MandarinStage | None = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def catalogue(self) -> ProviderCatalogue:
        return ProviderCatalogue(
            provider=self.name,
            description="Kokoro-82M: offline neural voices in English, Mandarin and more",
            voices=list(self._infos.values()),
            blends=True,  # kokoro_blend: a formula's voice is the mean of its style vectors
        )

    def warm_up(self) -> None:
        """Load the model and say a word: the first inference is the slow one. Check on the
        way that the model's durations add up to its audio, which every word's time rests on."""
        self.synthesize("ready", next(iter(self._infos)), speed=1.0)
        check_durations(self._kokoro(), self._styles[next(iter(self._infos))])

    def _kokoro(self):
        with self._load_lock:
            if self._engine is None:
                from kokoro_onnx import Kokoro

                model = kokoro_assets.check_timed_model(self._dir)
                options = onnxruntime.SessionOptions()
                # Idle threads spin by default, taking CPU from the services beside the engine.
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                if self._threads:
                    options.intra_op_num_threads = self._threads
                    options.inter_op_num_threads = 1
                session = onnxruntime.InferenceSession(
                    str(model), sess_options=options, providers=["CPUExecutionProvider"]
                )
                voices = self._dir / kokoro_assets.VOICES_FILE
                self._engine = Kokoro.from_session(session, str(voices))
            return self._engine

    def _mandarin(self) -> MandarinStage:
        with self._load_lock:
            if self._mandarin_stage is None:
                from ttsjobs_synthesis.prepare_text.mandarin import MandarinStage
                from ttsjobs_synthesis.prepare_text.mandarin_readings import prepare_jieba

                prepare_jieba(self._dir / kokoro_assets.JIEBA_CACHE)
                self._mandarin_stage = MandarinStage(english=self._english_phonemes)
            return self._mandarin_stage

    def _english_phonemes(self, words: str) -> str:
        return self._kokoro().tokenizer.phonemize(words, "en-us")

    def _phoneme_map(
        self, text: str, language: Language, pronunciation: Pronunciation
    ) -> PhonemeMap:
        """Kokoro's phonemes for the text, and which stretch of them says which word."""
        if language.espeak is None:
            return mandarin_map(self._mandarin().words(text, pronunciation))
        tokenizer = self._kokoro().tokenizer
        return espeak_map(
            text,
            language.tag,
            pronunciation,
            phonemise=lambda said: tokenizer.phonemize(said, language.espeak),
            reading=_ipa,
        )

    def synthesize(
        self,
        text: str,
        voice: str,
        *,
        speed: float,
        pitch: float = 1.0,
        pronunciation: Pronunciation = PLAIN,
    ) -> Speech:
        style, lead = kokoro_blend.style_of(voice, self._styles)  # UnknownVoice if none
        language = speaking(LANGUAGES[lead[0]], pronunciation.language)
        problem = script_problem(text, language.tag)
        if problem is not None:
            raise SynthesisRejected(problem)
        if not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
            raise SynthesisRejected(f"kokoro speaks at {SPEED_RANGE[0]}-{SPEED_RANGE[1]}x")
        kokoro = self._kokoro()
        try:
            mapped = self._phoneme_map(text, language, pronunciation)
            with self._run_lock:
                audio, spoken = _timed(kokoro, mapped.phonemes, style, speed)
        except LexiconProblem as err:
            raise SynthesisRejected(f"kokoro could not read a lexicon entry: {err}") from err
        except ValueError as err:  # kokoro-onnx: nothing it could say
            raise SynthesisRejected(f"kokoro could not say the text: {err}") from err
        samples = np.clip(np.asarray(audio) * 32767.0, -32768, 32767).astype(np.int16)
        timing = timing_of(text, mapped, [(t.phoneme, t.start, t.end) for t in spoken])
        return Speech(samples, SAMPLE_RATE, timing=timing)


def _timed(
    kokoro: Kokoro, phonemes: str, style: np.ndarray, speed: float
) -> tuple[np.ndarray, list[PhonemeTime]]:
    """The audio ``Kokoro.create()`` makes, with each phoneme's time. ``create_timed()`` would
    give the times too, but once it has them it also tops up every pause after a comma or a
    full stop (5-10% longer audio, measured on a dialogue turn in each language): that would
    change every Kokoro turn's sound, so the batches are made as ``create()`` makes them."""
    voice, _, batches = kokoro._prepare(
        phonemes, style, speed, "en-us", True, SENTENCE_PAUSE, CLAUSE_PAUSE
    )
    return kokoro._create_batches(batches, voice, speed, trim=True)


class DurationsWrong(RuntimeError):
    """The model's durations do not add up to its audio: not the model its timing was built for."""


def check_durations(kokoro: Kokoro, style: np.ndarray) -> None:
    """One inference: every frame the duration output counts is ``FRAME_SAMPLES`` samples."""
    tokens = kokoro.tokenizer.tokenize("hˈɛloʊ wˈɜːld.")
    audio, duration = kokoro._infer(tokens, kokoro._style_for(style, len(tokens)), 1.0)
    if duration is None or int(duration.sum()) * FRAME_SAMPLES != len(audio):
        counted = None if duration is None else int(duration.sum()) * FRAME_SAMPLES
        raise DurationsWrong(f"durations count {counted} samples for {len(audio)} of audio")


def build(settings: kokoro_assets.KokoroSettings, threads: int | None) -> KokoroProvider:
    return KokoroProvider(settings.dir, threads=threads)


ENTRY = InProcesses(kokoro_assets.KokoroSettings, build)


def speaking(own: Language, wanted: str | None) -> Language:
    """The language a turn is read in: the one it asks for where Kokoro reads it (the nearest:
    en-AU is read as en-GB's nearest, zh-TW as Mandarin), else the voice's own."""
    if not wanted or language_fit(own.tag, wanted) == 2:
        return own
    fits = [(language_fit(lang.tag, wanted), lang) for lang in LANGUAGES.values()]
    best = max(fit for fit, _ in fits)
    if best == 0 or best <= language_fit(own.tag, wanted):
        return own
    return next(lang for fit, lang in fits if fit == best)


def _ipa(piece: Piece) -> str:
    """A lexicon reading for Kokoro: IPA (X-SAMPA through IPA) or its own phonemes, as they are;
    the gateway let through only what Kokoro takes."""
    if piece.alphabet is Alphabet.x_sampa:
        return xsampa_to_ipa(piece.phoneme or "")
    return piece.phoneme or ""
