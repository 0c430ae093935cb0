"""The voice catalogue: each synthesis provider says which voices it has.

Synthesis publishes its providers' catalogues to a JetStream key-value bucket at start; the
gateway validates requests against what is there. The list comes from the providers themselves.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, PrivateAttr, model_validator

from ttsjobs.contracts.voice_blends import BadFormula, Blend, looks_like_formula, parse

# Macrolanguage members written with their own primary subtag that people look up as the
# macrolanguage: espeak-ng calls Mandarin "cmn", people and browsers say "zh".
_MACROLANGUAGE = {"cmn": "zh"}


def bcp47(tag: str) -> str:
    """``en_us`` → ``en-US``, ``cmn-latn-pinyin`` → ``cmn-Latn-pinyin``: BCP 47's usual casing."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def _subtags(tag: str) -> list[str]:
    parts = bcp47(tag).lower().split("-")
    return [_MACROLANGUAGE.get(parts[0], parts[0]), *parts[1:]]


def language_fit(voice_language: str, wanted: str) -> int:
    """2: the voice is of the wanted language (``zh`` fits ``zh-CN``); 1: only its primary
    language is the same (``zh-TW`` asked, ``zh-CN`` offered); 0: another language."""
    voice, asked = _subtags(voice_language), _subtags(wanted)
    if voice[: len(asked)] == asked:
        return 2
    return 1 if voice[0] == asked[0] else 0


class VoiceInfo(BaseModel):
    id: str = Field(examples=["af_heart"])
    name: str = Field(description="a name to show people", examples=["Heart"])
    language: str = Field(description="BCP 47", examples=["en-US"])
    gender: str | None = Field(default=None, examples=["female"])
    provider: str | None = Field(default=None, examples=["kokoro"])
    sample_rate: int
    settings: list[str] = Field(default_factory=lambda: ["speed"])
    speed_range: tuple[float, float] = Field(
        default=(0.25, 4.0), description="the speeds this voice can be asked for"
    )
    names: dict[str, str] = Field(
        default_factory=dict,
        description="a display name per UI locale (en, zh-TW); empty: show `name`",
        examples=[{"en": "Xiaoxiao", "zh-TW": "曉曉"}],
    )
    accent: dict[str, str] = Field(
        default_factory=dict,
        description="the accent the voice speaks with, per UI locale; empty if not known",
        examples=[{"en": "Mandarin (Mainland China accent)", "zh-TW": "普通話（中國大陸口音）"}],
    )
    formula: str | None = Field(
        default=None,
        description="one of your saved voices (/api/v1/voices/mine): the voice, a blend's"
        " formula, that its id stands for; null for the provider's own voices",
        examples=["zf_xiaoxiao(2)+zf_xiaoyi(1)"],
    )


class ProviderCatalogue(BaseModel):
    provider: str
    description: str
    voices: list[VoiceInfo]
    variants: list[str] = Field(
        default_factory=list,
        description="suffixes a voice id may carry as 'voice+variant' (espeak-ng)",
    )
    blends: bool = Field(
        default=False,
        description="whether a voice may be a formula mixing this provider's voices, as in"
        " zf_xiaoxiao(2)+zf_xiaoyi(1) (weights normalised; contracts/voice_blends.py)",
    )
    summary: dict[str, str] = Field(
        default_factory=dict,
        description="the engine in one phrase, per UI locale (en, zh-TW)",
        examples=[{"en": "Neural voices, natural", "zh-TW": "神經網路語音，自然"}],
    )
    realtime_factor: float | None = Field(
        default=None,
        ge=0,
        description="seconds of synthesis per second of audio for one turn, measured on the"
        " worker as it started; null until measured",
    )
    parallel_turns: int | None = Field(
        default=None,
        ge=1,
        description="how many turns of one job the worker synthesises at once",
    )

    # By id, built on first use for this list of voices (model_copy may give another):
    # casting looks a voice up per speaker, and espeak lists 138.
    _by_id: dict[str, VoiceInfo] = PrivateAttr(default_factory=dict)
    _indexed: list[VoiceInfo] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _voices_name_their_provider(self) -> ProviderCatalogue:
        for voice in self.voices:
            voice.provider = self.provider
        return self

    def voice(self, voice: str) -> VoiceInfo | None:
        """The voice an id names, ``voice+variant`` or a blend's formula included; None if
        there is none."""
        if self.blends and looks_like_formula(voice):
            return self._blend(voice)
        base, _, variant = voice.partition("+")
        if variant and variant not in self.variants:
            return None
        if self._indexed is not self.voices:
            self._by_id = {}
            for known in self.voices:
                self._by_id.setdefault(known.id, known)
            self._indexed = self.voices
        return self._by_id.get(base)

    def _blend(self, formula: str) -> VoiceInfo | None:
        try:
            blend = parse(formula)
        except BadFormula:
            return None
        parts = [self.voice(voice) for voice in blend.voices]
        if any(part is None for part in parts):
            return None
        return blended(blend, [part for part in parts if part is not None])

    def blend_problem(self, voice: str) -> str | None:
        """What is wrong with ``voice`` as a formula; None when it is no formula here, or a
        good one."""
        if not (self.blends and looks_like_formula(voice)):
            return None
        try:
            blend = parse(voice)
        except BadFormula as err:
            return f"{voice!r} is not a blend: {err}"
        unknown = [v for v in blend.voices if self.voice(v) is None]
        if unknown:
            return f"{voice!r} mixes {', '.join(unknown)}, not {self.provider} voices"
        return None

    def spelled(self, voice: str) -> str:
        """The one spelling of ``voice`` that the job stores: a blend's canonical formula
        (voice_blends.canonical), any other id as it is."""
        found = self.voice(voice)
        if found is not None and self.blends and looks_like_formula(voice):
            return found.id
        return voice

    def knows_voice(self, voice: str) -> bool:
        return self.voice(voice) is not None

    def matching(
        self, *, language: str | None = None, gender: str | None = None
    ) -> list[VoiceInfo]:
        """The voices of ``language`` (a prefix: ``zh`` takes ``zh-CN``) and ``gender``."""
        return [
            v
            for v in self.voices
            if (language is None or language_fit(v.language, language) == 2)
            and (gender is None or v.gender == gender)
        ]


def blended(blend: Blend, parts: list[VoiceInfo]) -> VoiceInfo:
    """The voice a blend of ``parts`` (in the blend's order) makes: the lead's language and
    rate, the settings and speeds every part takes, a gender where all parts share one."""
    lead = parts[0]
    shares = [share for _, share in blend.parts]
    locales = sorted({locale for part in parts for locale in part.names})

    def mixed(name_of: list[str]) -> str:
        return " + ".join(f"{name} ({share})" for name, share in zip(name_of, shares, strict=True))

    genders = {part.gender for part in parts}
    return VoiceInfo(
        id=blend.formula,
        name=mixed([part.name for part in parts]),
        language=lead.language,
        gender=genders.pop() if len(genders) == 1 else None,
        provider=lead.provider,
        sample_rate=lead.sample_rate,
        settings=[s for s in lead.settings if all(s in part.settings for part in parts)],
        speed_range=(
            max(part.speed_range[0] for part in parts),
            min(part.speed_range[1] for part in parts),
        ),
        names={loc: mixed([part.names.get(loc, part.name) for part in parts]) for loc in locales},
        accent=lead.accent,
    )
