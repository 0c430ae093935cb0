"""Work over a request runs on the event loop while it is small, in a worker thread past that."""

from __future__ import annotations

import threading

from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_gateway.offload import INLINE_UP_TO, dialogue_size, sized


def _thread() -> int:
    return threading.get_ident()


async def test_small_input_is_worked_on_the_loop_and_large_input_in_a_thread():
    here = threading.get_ident()
    assert await sized(INLINE_UP_TO, _thread) == here
    assert await sized(INLINE_UP_TO + 1, _thread) != here


def test_a_dialogue_is_sized_by_its_turns_and_assignments():
    one = MultiRoleRequest.model_validate({"turns": [{"speaker": "A", "text": "hi"}]})
    many = MultiRoleRequest.model_validate(
        {"turns": [{"speaker": "A", "text": "hi"}] * 1000, "voice_assignments": {"A": {}}}
    )
    assert dialogue_size(one) < INLINE_UP_TO < dialogue_size(many)
