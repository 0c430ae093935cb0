"""Blend formulas: parsed, normalised to one spelling, checked against a catalogue, cast as
they are spelled once, and mixed by Kokoro as the weighted mean of the style vectors."""

from __future__ import annotations

import numpy as np
import pytest

from ttsjobs.contracts.casting import cast
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.voice_blends import BadFormula, canonical, parse
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_synthesis.providers.base import UnknownVoice
from ttsjobs_synthesis.providers.kokoro_blend import style_of


def _voice(voice_id: str, language: str, gender: str) -> VoiceInfo:
    names = {"en": voice_id[3:].title(), "zh-TW": voice_id[3:]}
    return VoiceInfo(id=voice_id, name=voice_id[3:].title(), language=language, gender=gender,
                     sample_rate=24_000, settings=["speed", "volume"], speed_range=(0.5, 2.0),
                     names=names)  # fmt: skip


KOKORO = ProviderCatalogue(
    provider="kokoro",
    description="test",
    blends=True,
    voices=[
        _voice("zf_xiaoxiao", "zh-CN", "female"),
        _voice("zf_xiaoyi", "zh-CN", "female"),
        _voice("zm_yunxi", "zh-CN", "male"),
        _voice("af_heart", "en-US", "female"),
    ],
)
ESPEAK = ProviderCatalogue(
    provider="espeak",
    description="test",
    voices=[_voice("en_us", "en-US", "male")],
    variants=["m3"],
)


@pytest.mark.parametrize(
    ("formula", "spelled"),
    [
        ("zf_xiaoxiao(2)+zf_xiaoyi(1)", "zf_xiaoxiao(2)+zf_xiaoyi(1)"),
        ("zf_xiaoyi(1)+zf_xiaoxiao(2)", "zf_xiaoxiao(2)+zf_xiaoyi(1)"),
        ("zf_xiaoxiao(4) + zf_xiaoyi(2)", "zf_xiaoxiao(2)+zf_xiaoyi(1)"),
        ("zf_xiaoxiao(0.5)+zf_xiaoyi(.25)", "zf_xiaoxiao(2)+zf_xiaoyi(1)"),
        ("zf_xiaoyi+zf_xiaoxiao", "zf_xiaoxiao(1)+zf_xiaoyi(1)"),  # ties: by id
        ("zf_xiaoxiao(1)+zf_xiaoyi(1)+zf_xiaoxiao(1)", "zf_xiaoxiao(2)+zf_xiaoyi(1)"),
        ("zf_xiaoxiao(3)", "zf_xiaoxiao"),
        ("zf_xiaoxiao", "zf_xiaoxiao"),
    ],
)
def test_every_spelling_of_a_mixture_is_written_one_way(formula: str, spelled: str) -> None:
    assert canonical(formula) == spelled


def test_weights_are_normalised_to_one_heaviest_first() -> None:
    weights = parse("b(1)+a(3)").weights
    assert weights == (("a", 0.75), ("b", 0.25))


@pytest.mark.parametrize(
    "formula",
    ["a(0)+b(1)", "a(101)+b", "a(-1)+b", "a()+b", "a+", "+a", "a(1", "a(1.2345)+b", "a b+c",
     "a+b+c+d+e"],
)  # fmt: skip
def test_a_formula_that_names_no_mixture_is_refused(formula: str) -> None:
    with pytest.raises(BadFormula):
        parse(formula)


def test_a_blend_is_a_voice_of_a_catalogue_that_blends() -> None:
    voice = KOKORO.voice("zf_xiaoyi(1)+zf_xiaoxiao(2)")
    assert voice is not None
    assert voice.id == "zf_xiaoxiao(2)+zf_xiaoyi(1)"
    assert (voice.language, voice.gender, voice.provider) == ("zh-CN", "female", "kokoro")
    assert voice.names["en"] == "Xiaoxiao (2) + Xiaoyi (1)"
    mixed = KOKORO.voice("af_heart(3)+zm_yunxi(1)")
    assert mixed is not None and (mixed.language, mixed.gender) == ("en-US", None)


def test_a_blend_of_unknown_voices_or_a_bad_formula_is_no_voice_and_says_why() -> None:
    assert KOKORO.voice("zf_xiaoxiao(2)+zz_nobody(1)") is None
    assert "zz_nobody" in (KOKORO.blend_problem("zf_xiaoxiao(2)+zz_nobody(1)") or "")
    assert KOKORO.voice("zf_xiaoxiao(0)+zf_xiaoyi") is None
    assert "weight" in (KOKORO.blend_problem("zf_xiaoxiao(0)+zf_xiaoyi") or "")
    assert KOKORO.blend_problem("zf_xiaoxiao") is None


def test_espeak_keeps_its_variants_and_mixes_nothing() -> None:
    voice = ESPEAK.voice("en_us+m3")
    assert voice is not None and voice.id == "en_us"
    assert ESPEAK.voice("en_us(1)+en_us(2)") is None
    assert ESPEAK.spelled("en_us+m3") == "en_us+m3"


def _dialogue(voice: str) -> MultiRoleRequest:
    return MultiRoleRequest.model_validate(
        {"provider": "kokoro", "turns": [{"speaker": "A", "text": "你好。"}],
         "voice_assignments": {"A": {"voice": voice}}}
    )  # fmt: skip


def test_casting_stores_a_blend_in_its_one_spelling() -> None:
    casting = cast(_dialogue("zf_xiaoyi(0.5)+zf_xiaoxiao(1)"), {"kokoro": KOKORO})
    assert casting.problems == []
    assert casting.request.voice_assignments["A"].voice == "zf_xiaoxiao(2)+zf_xiaoyi(1)"


def test_casting_names_the_field_of_a_bad_blend() -> None:
    casting = cast(_dialogue("zf_xiaoxiao(2)+af_nobody(1)"), {"kokoro": KOKORO})
    assert [p.field for p in casting.problems] == ["voice_assignments.A.voice"]
    assert "af_nobody" in casting.problems[0].reason


def test_kokoro_mixes_style_vectors_as_their_weighted_mean() -> None:
    rng = np.random.default_rng(7)
    styles = {v: rng.standard_normal((4, 1, 8)).astype(np.float32) for v in ("a_x", "b_y")}
    style, lead = style_of("b_y(1)+a_x(3)", styles)
    assert lead == "a_x" and style.dtype == np.float32
    expected = 0.75 * styles["a_x"].astype(np.float64) + 0.25 * styles["b_y"]
    np.testing.assert_allclose(style, expected, rtol=1e-6)
    again, _ = style_of("a_x(0.75)+b_y(0.25)", styles)
    assert again.tobytes() == style.tobytes()  # one mixture, one vector: replays match
    assert style_of("a_x", styles)[0] is styles["a_x"]
    with pytest.raises(UnknownVoice):
        style_of("a_x(1)+c_z(1)", styles)
    with pytest.raises(UnknownVoice):
        style_of("a_x(0)+b_y", styles)
