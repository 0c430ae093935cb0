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
    tokens = msg.reply.split(".")
    if len(tokens) == _V1_TOKENS:
        return int(tokens[5])
    if len(tokens) >= _V2_MIN_TOKENS:
        return int(tokens[7])
    return msg.metadata.sequence.stream


def delivery_count(msg: Msg) -> int:
    """How many times the message has been delivered, this delivery included."""
    tokens = msg.reply.split(".")
    if len(tokens) == _V1_TOKENS:
        return int(tokens[4])
    if len(tokens) >= _V2_MIN_TOKENS:
        return int(tokens[6])
    return msg.metadata.num_delivered
