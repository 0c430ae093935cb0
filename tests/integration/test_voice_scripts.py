"""Every installed voice's language is in the table of the scripts it reads (writing.py), so
that a new voice's language never silently reads everything."""

from __future__ import annotations

import pytest

from ttsjobs.contracts.writing import reads
from ttsjobs_synthesis.providers.espeak import EspeakProvider
from ttsjobs_synthesis.providers.kokoro import KokoroProvider
from ttsjobs_synthesis.providers.piper import PiperProvider


@pytest.mark.parametrize("provider", [EspeakProvider, KokoroProvider, PiperProvider])
def test_every_voice_s_language_has_its_scripts_listed(provider):
    catalogue = provider().catalogue()
    unknown = {
        v.language
        for v in catalogue.voices
        if reads(v.language, provider=catalogue.provider) is None
    }
    assert unknown == set()
