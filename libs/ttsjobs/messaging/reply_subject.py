"""What a JetStream message's reply subject says about its delivery, read without nats-py's
``msg.metadata``.

``msg.metadata`` parses every field of the reply into objects (a datetime among them); at tens
of thousands of messages a second that was a tenth of a replay's time. The reply is
``$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>``, with
a domain and an account hash after ``ACK`` (and a random token at the end) in the newer
twelve-token form; anything else goes the long way.
"""

from __future__ import annotations

from nats.aio.msg import Msg

_V1_TOKENS = 9
_V2_MIN_TOKENS = 11


def stream_seq(msg: Msg) -> int:
    """The message's sequence in its stream."""
    return _field(msg, v1=5, v2=7) or msg.metadata.sequence.stream


def delivery_count(msg: Msg) -> int:
    """How many times the message has been delivered, this delivery included."""
    return _field(msg, v1=4, v2=6) or msg.metadata.num_delivered


def _field(msg: Msg, *, v1: int, v2: int) -> int | None:
    """The numeric token at ``v1`` (nine-token form) or ``v2`` (newer form); None for a
    reply of neither form."""
    tokens = msg.reply.split(".")
    if len(tokens) == _V1_TOKENS:
        return int(tokens[v1])
    if len(tokens) >= _V2_MIN_TOKENS:
        return int(tokens[v2])
    return None
