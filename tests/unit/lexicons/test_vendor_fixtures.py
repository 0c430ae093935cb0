"""Lexicons in the forms Polly, Azure, ElevenLabs and Google document (fixtures/, each citing
its source) read as the entries their authors meant, and export back to the same lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttsjobs.contracts.lexicon import Alphabet, Lexicon, LexiconEntry
from ttsjobs.lexicons.json_form import export_json, parse_json
from ttsjobs.lexicons.pls import export_pls, parse_pls

FIXTURES = Path(__file__).parent / "fixtures"


def _pls(name: str) -> Lexicon:
    return parse_pls((FIXTURES / name).read_bytes())


def _json(name: str) -> Lexicon:
    return parse_json((FIXTURES / name).read_bytes())


def _said(lexicon: Lexicon) -> dict[str, tuple[str | None, str | None, Alphabet | None]]:
    return {e.grapheme: (e.alias, e.phoneme, e.alphabet) for e in lexicon.entries}


def test_polly_aliases() -> None:
    lexicon = _pls("polly_alias.pls")
    assert lexicon.language == "en-US"
    assert lexicon.alphabet is Alphabet.ipa
    assert lexicon.entries == [
        LexiconEntry(grapheme="W3C", alias="World Wide Web Consortium"),
        LexiconEntry(grapheme="g3t sm4rt", alias="get smart"),
    ]


def test_polly_ipa_gives_one_entry_per_grapheme() -> None:
    assert _said(_pls("polly_ipa.pls")) == {
        "Beijing": (None, "ˌbeɪˈʒɪŋ", None),
        "beijing": (None, "ˌbeɪˈʒɪŋ", None),
        "Kubernetes": (None, "ˌkuːbərˈneɪtiːz", None),
    }


def test_polly_x_sampa_in_either_case() -> None:
    lexicon = _pls("polly_x_sampa.pls")
    assert lexicon.alphabet is Alphabet.x_sampa
    assert _said(lexicon) == {
        "tomato": (None, 't@"meItoU', None),
        "apple": (None, '"{p@l', Alphabet.x_sampa),
    }


def test_azure_aliases_ipa_and_emoji_with_padding_trimmed() -> None:
    assert _said(_pls("azure_en_us.pls")) == {
        "BTW": ("By the way", None, None),
        "Benigni": (None, "bɛˈniːnji", None),
        "😀": ("test emoji", None, None),
        "Scotland MV": ("Scotland Media Wave", None, None),
    }


def test_azure_zh_tw_sapi_is_bopomofo_in_our_canonical_form() -> None:
    lexicon = _pls("azure_zh_tw_bopomofo.pls")
    assert (lexicon.language, lexicon.alphabet) == ("zh-TW", Alphabet.bopomofo)
    assert _said(lexicon) == {
        "垃圾": (None, "ㄌㄜˋ ㄙㄜˋ", None),
        "星期": (None, "ㄒㄧㄥ ㄑㄧˊ", None),  # "ˉ" for tone 1 dropped, as Azure allows
        "媽媽": (None, "ㄇㄚ ㄇㄚ˙", None),  # the school form's leading "˙" moved after
        "吧": (None, "ㄅㄚ˙", None),
        "YouBike": ("悠拜克", None, None),
    }


def test_azure_zh_cn_sapi_is_pinyin() -> None:
    lexicon = _pls("azure_zh_cn_sapi.pls")
    assert lexicon.alphabet is Alphabet.pinyin
    assert _said(lexicon) == {"好": (None, "hao3", None), "爸爸": (None, "ba4 ba5", None)}


def test_elevenlabs_slashes_and_apostrophe() -> None:
    lexicon = _pls("elevenlabs.pls")
    assert lexicon.language == "en-GB"
    assert _said(lexicon) == {
        "tomato": (None, "tə'meɪtoʊ", None),
        "Tomato": (None, "tə'meɪtoʊ", None),
        "Apple": (None, "ˈæpl̩", None),
        "UN": ("United Nations", None, None),
    }


def test_elevenlabs_arpabet_is_read_into_ipa() -> None:
    lexicon = _pls("elevenlabs_cmu.pls")
    assert lexicon.alphabet is Alphabet.ipa
    assert _said(lexicon) == {
        "tomato": (None, "təmeɪtoʊ", None),
        "talon": (None, "tˈælən", None),
        "Kubernetes": (None, "ˌkuːbərˈneɪtiːz", Alphabet.ipa),
    }


def test_pinyin_without_namespace_normalised_and_preferred_phoneme() -> None:
    lexicon = _pls("pinyin_no_namespace.pls")
    assert (lexicon.language, lexicon.alphabet) == ("zh-TW", Alphabet.pinyin)
    assert _said(lexicon) == {
        "朝陽": (None, "chao2 yang2", None),
        "孩子": (None, "hai2 zi5", None),
        "綠": (None, "lv4", None),
        "女": (None, "nv3", None),
        "長大": (None, "zhang3 da4", None),
    }


def test_our_json_with_liberal_spellings() -> None:
    lexicon = _json("ours.json")
    assert (lexicon.language, lexicon.alphabet) == ("zh-TW", Alphabet.pinyin)
    assert _said(lexicon) == {
        "垃圾": (None, "le4 se4", None),
        "星期": (None, "ㄒㄧㄥ ㄑㄧˊ", Alphabet.bopomofo),
        "YouBike": ("悠拜克", None, None),
        "tomato": (None, "təˈmeɪtoʊ", Alphabet.ipa),
    }


def test_elevenlabs_rules() -> None:
    lexicon = _json("elevenlabs_rules.json")
    assert lexicon.alphabet is Alphabet.ipa
    assert lexicon.entries == [
        LexiconEntry(grapheme="Thailand", alias="tie-land"),
        LexiconEntry(grapheme="tomato", phoneme="tə'meɪtoʊ", alphabet=Alphabet.ipa),
        LexiconEntry(grapheme="UN", alias="United Nations"),
        LexiconEntry(grapheme="actually", phoneme="ˈæktʃuːəli", alphabet=Alphabet.ipa),
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.suffix != ".md"))
def test_every_fixture_round_trips_through_both_forms(name: str) -> None:
    lexicon = _pls(name) if name.endswith(".pls") else _json(name)
    assert parse_pls(export_pls(lexicon)) == lexicon
    assert parse_json(export_json(lexicon)) == lexicon
    assert parse_pls(export_pls(parse_json(export_json(lexicon)))) == lexicon
