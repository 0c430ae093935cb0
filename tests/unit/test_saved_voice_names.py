"""A saved voice's name is read as its formula before casting, for a dialogue and a long text;
a catalogue's own voice (an id, an espeak variant, a blend) is never taken for a saved name."""

from __future__ import annotations

from typing import Any, cast

from tests.unit.test_voice_blends import ESPEAK, KOKORO
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.single import SingleRequest
from ttsjobs_gateway.saved_voices import (
    SavedVoice,
    SavedVoices,
    key_of,
    single_with_saved_voice,
    spelled_anywhere,
    with_saved_voices,
)

PROVIDERS = {"kokoro": KOKORO, "espeak": ESPEAK}
BLEND = "zf_xiaoxiao(2)+zf_xiaoyi(1)"


class _Saved:
    """One user's saved voices in memory, and every name asked for."""

    def __init__(self, user_id: str, voices: dict[str, str]) -> None:
        self.user_id, self.voices, self.asked = user_id, voices, []

    async def get(self, user_id: str, name: str) -> SavedVoice | None:
        self.asked.append(name)
        voice = self.voices.get(name) if user_id == self.user_id else None
        return SavedVoice(name, "kokoro", voice, "now") if voice else None


def _store(**voices: str) -> Any:
    return cast(SavedVoices, _Saved("alice", voices))


def _dialogue(**voices: str) -> MultiRoleRequest:
    return MultiRoleRequest.model_validate(
        {"turns": [{"speaker": s, "text": "你好。"} for s in voices],
         "voice_assignments": {s: {"voice": v, "speed": 1.1} for s, v in voices.items()}}
    )  # fmt: skip


async def test_a_saved_name_becomes_its_formula_and_keeps_the_settings() -> None:
    store = _store(暖聲=BLEND)
    named = await with_saved_voices(_dialogue(A="暖聲", B="zf_xiaoyi"), "alice", store, PROVIDERS)
    assert named.voice_assignments["A"].voice == BLEND
    assert named.voice_assignments["A"].speed == 1.1
    assert named.voice_assignments["B"].voice == "zf_xiaoyi"
    assert store.asked == ["暖聲"], "a catalogue voice is never looked up as a saved name"


async def test_another_users_name_is_left_for_casting_to_refuse() -> None:
    request = _dialogue(A="暖聲")
    assert await with_saved_voices(request, "bob", _store(暖聲=BLEND), PROVIDERS) is request


async def test_catalogue_voices_win_over_saved_names() -> None:
    store = _store(en_us=BLEND, **{"en_us+m3": BLEND, "zf_xiaoyi+zf_xiaoxiao": "zm_yunxi"})
    request = _dialogue(A="en_us", B="en_us+m3", C="zf_xiaoyi+zf_xiaoxiao")
    assert await with_saved_voices(request, "alice", store, PROVIDERS) is request
    assert store.asked == []


async def test_a_long_text_names_a_saved_voice_too() -> None:
    single = SingleRequest.model_validate({"text": "你好。", "voice": "暖聲"})
    named = await single_with_saved_voice(single, "alice", _store(暖聲=BLEND), PROVIDERS)
    assert named.voice == BLEND


def test_a_blend_is_spelled_once_and_a_variant_left_alone() -> None:
    assert spelled_anywhere("zf_xiaoyi(1)+zf_xiaoxiao(2)", PROVIDERS) == BLEND
    assert spelled_anywhere("en_us+m3", PROVIDERS) == "en_us+m3"


def test_names_in_any_script_are_keys_no_two_names_share() -> None:
    names = ["暖聲", "warm narrator", "Warm narrator", "a.b", "a-b", "a_b"]
    keys = [key_of(n) for n in names]
    assert len(set(keys)) == len(names)
    assert all(
        k and set(k) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for k in keys
    )
