"""The segment cache is its owner's: bob submitting alice's exact dialogue is synthesized
afresh (no cache hit, nothing to learn from the result), and stores segments of his own."""

from __future__ import annotations

import uuid

import pytest

from tests.support.jobs import dialogue, stack_bucket, submit, wait_for_status

pytestmark = pytest.mark.e2e
BUCKET = "ttsjobs-audio"


def _segments(s3, user_id: str) -> set[str]:
    prefix = f"segments/{user_id}/"
    return {o.object_name for o in s3.list_objects(BUCKET, prefix=prefix, recursive=True)}


async def test_another_users_identical_sentence_is_no_hit_and_shares_no_object(
    stack, api, bob_api, alice, bob
):
    secret = f"The vault code is {uuid.uuid4().hex[:12]}."
    body = dialogue("espeak", turns=[{"speaker": "Alice", "text": secret}],
                    voice_assignments={"Alice": {"voice": "en-us"}})  # fmt: skip
    s3 = stack_bucket(stack)
    alices_before, bobs_before = _segments(s3, alice.user_id), _segments(s3, bob.user_id)

    first = await wait_for_status(api, (await submit(api, body))["id"], {"completed", "failed"})
    assert first["status"] == "completed" and first["result"]["cache_hits"] == 0
    theirs = await wait_for_status(
        bob_api, (await submit(bob_api, body))["id"], {"completed", "failed"}
    )
    assert theirs["status"] == "completed", theirs["error_message"]
    assert theirs["result"]["cache_hits"] == 0, "alice's sentence is not bob's cache hit"
    assert not theirs["result"]["turn_timings"][0]["cache_hit"]

    alices = _segments(s3, alice.user_id) - alices_before
    bobs = _segments(s3, bob.user_id) - bobs_before
    assert len(alices) == 1 and len(bobs) == 1, (alices, bobs)
    assert {k.rsplit("/", 1)[-1] for k in alices}.isdisjoint(k.rsplit("/", 1)[-1] for k in bobs)

    again = await wait_for_status(api, (await submit(api, body))["id"], {"completed", "failed"})
    assert again["result"]["cache_hits"] == 1, "the owner's own repeat is still a hit"
