"""WebSocket frames built once and written straight to each feed's connection.

A job's event goes to every feed that follows it, as the same bytes: a server's frame is not
masked. Through ASGI, each of those sends is a message through every middleware, Starlette,
uvicorn's protocol and websockets' framing, then a socket write; with a thousand subscribers
that path was most of the gateway's time and set the fan-out's latency. So the gateway's
uvicorn protocol offers each WebSocket connection an ASGI extension, ``FRAMES``: a call that
writes frames already built to that connection's transport, in one write, and answers how
much is still buffered there (the feed's measure of a client that does not keep up).

Everything else on the connection (accept, snapshot, pings, close) still goes through ASGI, and
the write refuses once the connection cannot carry data any more (a close sent or received, or
the connection gone). Under a server without the extension (a test client, another server) the
feeds send through ASGI as before.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State

FRAMES = "ttsjobs.websocket.frames"

# Writes frames (bytes ready for the wire) to the connection; returns the bytes the transport
# still holds afterwards, or None if the connection no longer takes data frames.
WriteFrames = Callable[[bytes], int | None]


def text_frame(payload: str) -> bytes:
    """One complete, unmasked text frame: what a server sends."""
    return Frame(Opcode.TEXT, payload.encode()).serialize(mask=False)


def frame_writer(scope: MutableMapping[str, Any]) -> WriteFrames | None:
    """The connection's frame writer, if the server offers one."""
    offered = scope.get("extensions", {}).get(FRAMES)
    return offered["write"] if offered else None


class FeedProtocol(WebSocketsSansIOProtocol):
    """uvicorn's default WebSocket protocol, offering ``FRAMES`` in each connection's scope."""

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)  # none if the handshake was refused
        if scope is not None:  # the application's task has not started yet
            scope["extensions"][FRAMES] = {"write": self.write_frames}

    def write_frames(self, frames: bytes) -> int | None:
        if (
            self.disconnected
            or self.close_sent
            or self.conn.state is not State.OPEN
            or self.transport.is_closing()
        ):
            return None
        self.transport.write(frames)
        return self.transport.get_write_buffer_size()
