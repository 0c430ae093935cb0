"""The lexicon store on a real NATS: a bucket per user, revisions as ETags honoured on write
and delete, the caps, and names that KV keys could not hold as they are."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from nats.js.errors import BucketNotFoundError

from ttsjobs.contracts.lexicon import (
    LEXICON_MAX_BYTES,
    MAX_LEXICONS_PER_USER,
    Lexicon,
    LexiconEntry,
)
from ttsjobs_gateway.lexicon_errors import (
    LexiconChanged,
    LexiconNotFound,
    LexiconTooLarge,
    TooManyLexicons,
)
from ttsjobs_gateway.lexicon_store import (
    ANY,
    LexiconStore,
    bucket_of,
    key_of,
    revision_in,
)


def _lexicon(*pairs: tuple[str, str]) -> Lexicon:
    return Lexicon(entries=[LexiconEntry(grapheme=g, alias=a) for g, a in pairs])


@pytest.fixture
async def store(jetstream) -> LexiconStore:
    return LexiconStore(jetstream)


def _user() -> str:
    return str(uuid.uuid4())


async def test_a_bucket_is_made_on_the_first_put_only(store, jetstream):
    user = _user()
    assert await store.get(user, "brands") is None
    assert await store.all(user) == []
    with pytest.raises(BucketNotFoundError):  # reading made nothing
        await jetstream.key_value(bucket_of(user))
    stored, created = await store.put(user, "brands", _lexicon(("YouBike", "you bike")))
    assert created
    status = await (await jetstream.key_value(bucket_of(user))).status()
    assert status.history == 1
    again = await store.get(user, "brands")
    assert again is not None and again.revision == stored.revision
    assert again.lexicon() == _lexicon(("YouBike", "you bike"))
    assert again.summary()["entry_count"] == 1


async def test_replacing_says_so_and_moves_the_revision(store):
    user = _user()
    first, created = await store.put(user, "a", _lexicon(("x", "ex")))
    second, created_again = await store.put(user, "a", _lexicon(("y", "why")))
    assert created and not created_again
    assert second.revision > first.revision
    assert [s.name for s in await store.all(user)] == ["a"]


async def test_if_match_on_put_and_delete(store):
    user = _user()
    first, _ = await store.put(user, "a", _lexicon(("x", "ex")))
    second, _ = await store.put(user, "a", _lexicon(("x", "eks")), if_match=first.revision)
    with pytest.raises(LexiconChanged):  # a concurrent editor read `first`
        await store.put(user, "a", _lexicon(("x", "lost")), if_match=first.revision)
    with pytest.raises(LexiconChanged):
        await store.delete(user, "a", if_match=first.revision)
    kept = await store.get(user, "a")
    assert kept is not None and kept.lexicon().entries[0].alias == "eks"
    await store.delete(user, "a", if_match=second.revision)
    assert await store.get(user, "a") is None
    with pytest.raises(LexiconNotFound):
        await store.delete(user, "a")
    with pytest.raises(LexiconChanged):  # If-Match on a lexicon that is gone
        await store.put(user, "a", _lexicon(("x", "ex")), if_match=second.revision)
    _, created = await store.put(user, "a", _lexicon(("x", "ex")))
    assert created  # made again after its deletion


async def test_the_cap_counts_lexicons_not_writes(store):
    user = _user()
    for i in range(MAX_LEXICONS_PER_USER):
        await store.put(user, f"l{i}", _lexicon(("x", "ex")))
    with pytest.raises(TooManyLexicons):
        await store.put(user, "one-more", _lexicon(("x", "ex")))
    _, created = await store.put(user, "l0", _lexicon(("x", "again")))  # replacing is fine
    assert not created
    await store.delete(user, "l1")
    _, created = await store.put(user, "one-more", _lexicon(("x", "ex")))
    assert created and len(await store.all(user)) == MAX_LEXICONS_PER_USER


async def test_concurrent_new_names_stop_at_the_cap(store):
    user = _user()
    results = await asyncio.gather(
        *(store.put(user, f"n{i}", _lexicon(("x", "ex"))) for i in range(25)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, TooManyLexicons)]
    assert len(refused) == 25 - MAX_LEXICONS_PER_USER
    assert len(await store.all(user)) == MAX_LEXICONS_PER_USER


async def test_too_large_as_stored_is_refused_and_nothing_is_kept(store):
    user = _user()
    # Each entry is small, but the stored JSON grows past the cap.
    big = Lexicon(entries=[LexiconEntry(grapheme=f"w{i:05d}", alias="a" * 40) for i in range(5000)])
    with pytest.raises(LexiconTooLarge):
        await store.put(user, "big", big)
    assert await store.get(user, "big") is None
    assert LEXICON_MAX_BYTES == 256 * 1024


async def test_users_never_share_a_lexicon(store):
    alice, bob = _user(), _user()
    await store.put(alice, "brands", _lexicon(("LINE", "line app")))
    assert await store.get(bob, "brands") is None
    with pytest.raises(LexiconNotFound):
        await store.delete(bob, "brands")
    await store.put(bob, "brands", _lexicon(("LINE", "賴")))
    mine = await store.get(alice, "brands")
    assert mine is not None and mine.lexicon().entries[0].alias == "line app"


async def test_names_with_dots_and_odd_user_ids(store):
    user = "not a uuid / with spaces"
    assert bucket_of(user).startswith("ttsjobs_lexicons_user-")
    names = ["a.", "a..b", "A.b", "a-b_c", "a"]  # KV keys may not end in '.' nor hold '..'
    for name in names:
        await store.put(user, name, _lexicon(("x", name)))
    assert [s.name for s in await store.all(user)] == sorted(names)
    assert len({key_of(n) for n in names}) == len(names)
    got = await store.get(user, "a.")
    assert got is not None and got.lexicon().entries[0].alias == "a."


async def test_if_match_any_needs_the_lexicon_to_exist(store):
    user = _user()
    with pytest.raises(LexiconChanged):
        await store.put(user, "a", _lexicon(("x", "ex")), if_match=ANY)
    assert await store.get(user, "a") is None
    await store.put(user, "a", _lexicon(("x", "ex")))
    _, created = await store.put(user, "a", _lexicon(("x", "why")), if_match=ANY)
    assert not created
    await store.delete(user, "a", if_match=ANY)
    assert await store.get(user, "a") is None


def test_if_match_forms():
    assert revision_in(None) is None and revision_in("*") == ANY
    assert revision_in('"12"') == 12 and revision_in('W/"12"') == 12 and revision_in("12") == 12
    assert revision_in('"abc"') == -1 and revision_in('"' + "9" * 30 + '"') == -1


async def test_a_lexicon_is_listed_the_moment_it_is_made(store):
    # A KV watcher started right after the bucket's first write could report the end before
    # that write (seen once in a CLI test); the list reads the stream's subjects instead.
    for _ in range(30):
        user = _user()
        await store.put(user, "first", _lexicon(("a", "b")))
        assert [s.name for s in await store.all(user)] == ["first"]
        await store.delete(user, "first")
        assert await store.all(user) == []
        await store.put(user, "second", _lexicon(("a", "b")))
        assert [s.name for s in await store.all(user)] == ["second"]
