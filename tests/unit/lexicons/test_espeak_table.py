"""The IPA -> espeak table, checked against espeak-ng itself: espeak reads each mnemonic inside
[[...]] and reports the IPA it spoke, which must be the IPA the table maps from (or, where the
table maps a near symbol to espeak's nearest phoneme, that phoneme, listed here).

espeak-ng keeps process-wide state (its voice, its one audio callback), so it runs in a child
process of its own, once for the whole module: a synthesis test in this process keeps its own.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ttsjobs.lexicons.alphabets import ipa_to_espeak
from ttsjobs.lexicons.espeak_table import IPA_TO_ESPEAK

# Near symbols the table maps to espeak's nearest American English phoneme, and what espeak
# says for it. Everything else in the table must come back as itself.
NEAREST_IN_EN_US = {
    "ɪə": "iə", "ɪɚ": "iə", "eə": "ɛɹ", "ɛə": "ɛɹ", "ɛɚ": "ɛɹ", "ʊə": "ʊɹ", "ʊɚ": "ʊɹ",
    "ɑɹ": "ɑːɹ", "ɔɹ": "ɔːɹ", "ɪ": "i", "a": "æ", "ɑ": "ɑː", "ɒ": "ɑː", "ɔ": "ɔː", "o": "oʊ",
    "əʊ": "oʊ", "u": "uː", "ɜ": "ɜː", "ɝ": "ɜː", "ᵻ": "i", "ᵊ": "ə", "ʧ": "tʃ", "ʤ": "dʒ",
    "g": "ɡ", "ɫ": "l", "ɹ": "r", "l̩": "əl", "n̩": "ən", "m̩": "əm", "ʍ": "w",
}  # fmt: skip
# Marks and boundaries, which say nothing on their own.
SILENT = {"ˈ", "'", "ˌ", "ː", ".", "‿", " "}
WORDS = {
    "həˈloʊ": "həloʊ",
    "ðə wɝld": "ðə wɜːld",
    "ˈtʃɜːtʃ": "tʃɜːtʃ",
    "təˈmeɪtoʊ": "təmeɪɾoʊ",  # espeak's American voice flaps the t, as Americans do
}

# Reads a JSON list of mnemonic strings on stdin; writes {mnemonics: IPA spoken} on stdout.
_SPEAKER = r"""
import ctypes, json, sys, tempfile
import espeakng_loader

lib = ctypes.CDLL(espeakng_loader.get_library_path())
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.fclose.argtypes = [ctypes.c_void_p]
lib.espeak_SetPhonemeTrace.argtypes = [ctypes.c_int, ctypes.c_void_p]
lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                             ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                            ctypes.c_void_p)(lambda wav, samples, events: 0)
SYNCHRONOUS, DONT_EXIT, UTF8, PHONEMES, IPA = 2, 0x8000, 1, 0x100, 0x02
lib.espeak_Initialize(SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), DONT_EXIT)
lib.espeak_SetSynthCallback(callback)
lib.espeak_SetVoiceByName(b"en-us")
spoken = {}
with tempfile.NamedTemporaryFile(suffix=".txt") as trace:
    for mnemonics in json.load(sys.stdin):
        handle = libc.fopen(trace.name.encode(), b"w")
        lib.espeak_SetPhonemeTrace(IPA, handle)
        text = f"[[{mnemonics}]]".encode() + b"\0"
        lib.espeak_Synth(text, len(text), 0, 0, 0, UTF8 | PHONEMES, None, None)
        lib.espeak_Synchronize()
        lib.espeak_SetPhonemeTrace(0, None)
        libc.fclose(handle)
        with open(trace.name, encoding="utf-8") as f:
            spoken[mnemonics] = f.read().strip().replace("ˈ", "").replace("ˌ", "")
json.dump(spoken, sys.stdout)
"""


@pytest.fixture(scope="module")
def spoken() -> dict[str, str]:
    asked = [IPA_TO_ESPEAK[ipa] for ipa in set(IPA_TO_ESPEAK) - SILENT]
    asked += [ipa_to_espeak(ipa) for ipa in WORDS] + ["%%"]
    done = subprocess.run(
        [sys.executable, "-c", _SPEAKER],
        input=json.dumps(sorted(set(asked))),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, str] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("ipa", sorted(set(IPA_TO_ESPEAK) - SILENT))
def test_espeak_says_what_the_table_maps_from(spoken: dict[str, str], ipa: str) -> None:
    assert spoken[IPA_TO_ESPEAK[ipa]] == NEAREST_IN_EN_US.get(ipa, ipa)


def test_an_unknown_mnemonic_would_show(spoken: dict[str, str]) -> None:
    # The check above means something only if espeak does not echo any mnemonic as its IPA.
    assert spoken["%%"] == ""


@pytest.mark.parametrize(("ipa", "said"), sorted(WORDS.items()))
def test_whole_words_come_back(spoken: dict[str, str], ipa: str, said: str) -> None:
    assert spoken[ipa_to_espeak(ipa)] == said
