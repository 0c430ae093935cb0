"""The stream sequence and the delivery count are read from a reply subject as nats-py reads
them, in both of its forms."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from nats.aio.msg import Msg

from ttsjobs.messaging.reply_subject import delivery_count, stream_seq

REPLIES = [
    "$JS.ACK.TTSJOBS_JOBS.rebuild_1.3.4711.4700.1733040000000000000.12",
    "$JS.ACK.hub.ACCHASH.TTSJOBS_JOBS.rebuild_1.3.4711.4700.1733040000000000000.12.r4nd",
]


@pytest.mark.parametrize("reply", REPLIES)
def test_the_sequence_and_delivery_count_are_read_from_the_reply(reply):
    msg = SimpleNamespace(reply=reply)
    assert stream_seq(msg) == 4711  # type: ignore[arg-type]
    assert delivery_count(msg) == 3  # type: ignore[arg-type]


@pytest.mark.parametrize("reply", REPLIES)
def test_they_agree_with_nats_py(reply):
    metadata = Msg(_client=None, reply=reply).metadata  # type: ignore[arg-type]
    msg = SimpleNamespace(reply=reply)
    assert stream_seq(msg) == metadata.sequence.stream  # type: ignore[arg-type]
    assert delivery_count(msg) == metadata.num_delivered  # type: ignore[arg-type]
