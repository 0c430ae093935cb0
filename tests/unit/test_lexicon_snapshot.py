"""A job's lexicon snapshot at the gateway, with a small fake store: what it reads (nothing
without lexicons, nothing on a run again), what it keeps, and what it refuses."""

from __future__ import annotations

import pytest

from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.lexicon import SNAPSHOT_MAX_BYTES, Lexicon, LexiconEntry, UsedEntry
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.lexicon_snapshot import snapshot_problems, with_snapshot
from ttsjobs_gateway.lexicon_store import Stored, stored_value


class FakeStore:
    """The store's read side: the user's lexicons by name, and every name asked for."""

    def __init__(self, lexicons: dict[str, dict[str, Lexicon]]) -> None:
        self.lexicons = lexicons
        self.asked: list[str] = []

    async def get_many(self, user_id: str, names: list[str]) -> list[Stored | None]:
        self.asked += names
        mine = self.lexicons.get(user_id, {})
        return [Stored(n, stored_value(n, mine[n]), 1) if n in mine else None for n in names]


def _catalogue(provider: str, *voices: tuple[str, str]) -> ProviderCatalogue:
    return ProviderCatalogue(
        provider=provider,
        description="",
        voices=[VoiceInfo(id=v, name=v, language=lang, sample_rate=22050) for v, lang in voices],
    )


ESPEAK = _catalogue("espeak", ("en-us", "en-US"), ("cmn", "cmn"))
PIPER = _catalogue("piper", ("en_US-joe-medium", "en-US"))


def _request(provider: str, voice: str, **fields) -> MultiRoleRequest:
    return MultiRoleRequest.model_validate(
        {
            "provider": provider,
            "turns": [
                {"speaker": "A", "text": "I ride a YouBike to the LINE office."},
                {"speaker": "B", "text": "LINEAR algebra, not LINE."},
            ],
            "voice_assignments": {"A": {"voice": voice}, "B": {"voice": voice}},
            **fields,
        }
    )


def _lexicon(*entries: LexiconEntry) -> Lexicon:
    return Lexicon(entries=list(entries))


BRANDS = _lexicon(
    LexiconEntry(grapheme="YouBike", alias="you bike"),
    LexiconEntry(grapheme="LINE", alias="line app"),
    LexiconEntry(grapheme="unused", alias="never"),
)
MORE = _lexicon(
    LexiconEntry(grapheme="LINE", alias="loses to brands"),
    LexiconEntry(grapheme="office", phoneme="ˈɒfɪs"),
)


async def test_the_entries_used_first_lexicon_first():
    store = FakeStore({"u1": {"brands": BRANDS, "more": MORE}})
    request = _request("espeak", "en-us", lexicons=["brands", "more"])
    done = await with_snapshot(request, user_id="u1", store=store, catalogue=ESPEAK)
    assert done.lexicon_entries == [
        UsedEntry(lexicon="brands", grapheme="YouBike", alias="you bike"),
        UsedEntry(lexicon="brands", grapheme="LINE", alias="line app"),
        UsedEntry(lexicon="more", grapheme="office", phoneme="ˈɒfɪs", alphabet="ipa"),
    ]
    assert store.asked == ["brands", "more"]


async def test_no_lexicons_reads_nothing_and_a_run_again_keeps_its_entries():
    store = FakeStore({"u1": {"brands": BRANDS}})
    plain = _request("espeak", "en-us")
    assert await with_snapshot(plain, user_id="u1", store=store, catalogue=ESPEAK) is plain
    kept = [UsedEntry(lexicon="brands", grapheme="LINE", alias="as it was")]
    again = _request("espeak", "en-us", lexicons=["brands"], lexicon_entries=kept)
    done = await with_snapshot(again, user_id="u1", store=store, catalogue=ESPEAK)
    assert done.lexicon_entries == kept
    assert store.asked == []


async def test_unknown_names_and_other_users_lexicons_are_named():
    store = FakeStore({"u1": {"brands": BRANDS}, "u2": {"mine": BRANDS}})
    request = _request("espeak", "en-us", lexicons=["brands", "mine", "none"])
    with pytest.raises(InvalidRequest) as refused:
        await with_snapshot(request, user_id="u1", store=store, catalogue=ESPEAK)
    assert [p.field for p in refused.value.problems] == ["lexicons[1]", "lexicons[2]"]


async def test_a_phoneme_the_voice_cannot_take_names_the_entry():
    store = FakeStore({"u1": {"brands": BRANDS, "more": MORE}})
    request = _request(
        "piper", "en_US-joe-medium", lexicons=["brands", "more"], title="office hours"
    )
    with pytest.raises(InvalidRequest) as refused:
        await with_snapshot(request, user_id="u1", store=store, catalogue=PIPER)
    [problem] = refused.value.problems
    assert problem.field == "lexicons[1]"
    assert "'office'" in problem.reason and "piper takes no phonemes" in problem.reason
    # With an alias as well, the alias is said: nothing is asked of piper's phonemes.
    both = _lexicon(LexiconEntry(grapheme="office", alias="bureau", phoneme="ˈɒfɪs"))
    store = FakeStore({"u1": {"both": both}})
    request = _request("piper", "en_US-joe-medium", lexicons=["both"])
    done = await with_snapshot(request, user_id="u1", store=store, catalogue=PIPER)
    assert done.lexicon_entries and done.lexicon_entries[0].alias == "bureau"


def test_only_the_roles_that_say_the_word_are_checked():
    entries = [UsedEntry(lexicon="x", grapheme="YouBike", phoneme="ju baɪk", alphabet="ipa")]
    request = _request("piper", "en_US-joe-medium", lexicons=["x"], lexicon_entries=entries)
    [problem] = snapshot_problems(request, PIPER)
    assert "(en_US-joe-medium, A)" in problem.reason  # B never says YouBike


def test_a_snapshot_past_its_budget_is_refused():
    entries = [
        UsedEntry(lexicon="x", grapheme=f"w{i}", alias="a" * 300)
        for i in range(SNAPSHOT_MAX_BYTES // 300 + 1)
    ]
    request = _request("espeak", "en-us", lexicons=["x"], lexicon_entries=entries)
    [problem] = snapshot_problems(request, ESPEAK)
    assert problem.field == "lexicons" and str(SNAPSHOT_MAX_BYTES) in problem.reason
    sent = _request("espeak", "en-us", lexicon_entries=entries)
    assert snapshot_problems(sent, ESPEAK)[0].field == "lexicon_entries"
