"""A WebSocket client that only records what arrives, for benchmarks that open a thousand of
them in one process beside the server.

A full client (``websockets``) spends 30–50 µs of CPU per message here: frame parsing in
Python, a queue, a task switch and the JSON decode. On a 2-core machine that CPU is taken from
the server being measured, and the time a message waits for its client's turn is counted as the
server's latency. This client does the least per message: it finds the frames in what the
socket delivered, in place, and keeps a view of each text frame's payload with the time its
bytes arrived; nothing is copied or decoded until the feed has ended. It answers pings and
the server's close; it sends nothing else.
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
import time
from urllib.parse import urlsplit

_TEXT, _CLOSE, _PING = 0x1, 0x8, 0x9
_PONG = 0xA


class _Protocol(asyncio.Protocol):
    def __init__(self, request: bytes, opened: asyncio.Future[None], first: asyncio.Event) -> None:
        self.request = request
        self.opened = opened
        self.first = first  # set once the first text frame (the feed's snapshot) has arrived
        self.done: asyncio.Future[list[tuple[float, bytes]]] = opened.get_loop().create_future()
        self.buffer = bytearray()
        self.handshaken = False
        self.frames: list[tuple[float, memoryview]] = []
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        arrived = time.time()
        if not self.handshaken:
            self.buffer += data
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[: self.buffer.find(b"\r\n")])
            data = bytes(self.buffer[end + 4 :])
            self.buffer = bytearray()
            if b" 101 " not in status + b" ":
                self._fail(ConnectionError(f"handshake refused: {status.decode(errors='replace')}"))
                return
            self.handshaken = True
            self.opened.set_result(None)
        # Read in place: what arrived is kept, and each frame's payload is a view into it.
        self._frames(bytes(self.buffer) + data if self.buffer else data, arrived)

    def _frames(self, chunk: bytes, arrived: float) -> None:
        view = memoryview(chunk)
        at, end = 0, len(chunk)
        while end - at >= 2:
            opcode, length = chunk[at] & 0x0F, chunk[at + 1] & 0x7F
            start = at + 2
            if length == 126:
                if end - at < 4:
                    break
                (length,) = struct.unpack_from("!H", chunk, at + 2)
                start = at + 4
            elif length == 127:
                if end - at < 10:
                    break
                (length,) = struct.unpack_from("!Q", chunk, at + 2)
                start = at + 10
            if end < start + length:
                break
            payload = view[start : start + length]
            at = start + length
            if opcode == _TEXT:  # feed messages are small: never fragmented
                self.frames.append((arrived, payload))
            elif opcode == _PING:
                self._send(_PONG, bytes(payload))
            elif opcode == _CLOSE:
                self._send(_CLOSE, bytes(payload[:2]))
                assert self.transport is not None
                self.transport.close()
                return
        if self.frames and not self.first.is_set():
            self.first.set()
        if at < end:
            self.buffer = bytearray(view[at:])  # a frame cut short: the rest comes next

    def _send(self, opcode: int, payload: bytes) -> None:
        # A client's frames are masked (RFC 6455 5.3); control frames are under 126 bytes.
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        assert self.transport is not None
        self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def _fail(self, err: Exception) -> None:
        if not self.opened.done():
            self.opened.set_exception(err)
        if not self.done.done():
            self.done.set_exception(err)
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed before the handshake"))
        if not self.done.done():
            self.done.set_result([(arrived, bytes(payload)) for arrived, payload in self.frames])


async def read_feed(
    url: str, headers: dict[str, str], first: asyncio.Event
) -> list[tuple[float, bytes]]:
    """Open ``url`` (ws://), read until the server closes; returns each text message with the
    time (``time.time()``) its bytes were handed to this process."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {target} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    loop = asyncio.get_running_loop()
    opened: asyncio.Future[None] = loop.create_future()
    _, protocol = await loop.create_connection(
        lambda: _Protocol(request, opened, first), parts.hostname, parts.port
    )
    await opened
    return await protocol.done
