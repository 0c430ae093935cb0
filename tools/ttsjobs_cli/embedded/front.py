"""The front of `ttsjobs dev --cluster`: one port for a browser, in front of the gateways.

Each HTTP request goes to the next gateway in turn (round robin), over a connection of its
own: a gateway that refuses the connection (it died, it is restarting) is passed over for the
next one, so killing a gateway costs only the requests already inside it. A WebSocket upgrade
becomes a byte tunnel to one gateway for the life of the connection, close codes and all.

Bodies stream both ways at the pace of the slower side, never held whole, with their headers
as sent (Range, Authorization, Idempotency-Key, ...). h11 frames HTTP/1.1 on both sides; only
hop-by-hop headers change. What the front cannot get an answer for, it answers with a 502
that a retrying client retries (with the same Idempotency-Key).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections.abc import Iterable, Sequence

import h11
import structlog

log = structlog.get_logger()

Address = tuple[str, int]
_CHUNK = 64 * 1024
_MAX_HEAD = 64 * 1024
# A kept-alive connection that sends no next request within this is closed; browsers reconnect.
_IDLE_S = 75.0
# Loopback refuses at once; this only bounds a backend that is there but stopped (SIGSTOP).
_CONNECT_S = 2.0
_HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"upgrade"}
)


class NoBackend(Exception):
    """Every backend refused the connection."""


class _ClientGone(Exception):
    """The browser's side broke off (reset, or closed mid-request)."""


class Front:
    """Round robin over ``backends`` (host, port); :meth:`serve` listens on a bound socket."""

    def __init__(self, backends: Sequence[Address]) -> None:
        if not backends:
            raise ValueError("a front needs at least one backend")
        self.backends = list(backends)
        self._turn = 0

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A connection to the next backend in turn that takes one."""
        for _ in self.backends:
            host, port = self.backends[self._turn % len(self.backends)]
            self._turn += 1
            try:
                return await asyncio.wait_for(asyncio.open_connection(host, port), _CONNECT_S)
            except (OSError, TimeoutError) as exc:
                log.info("front.backend_skipped", backend=f"{host}:{port}", error=repr(exc))
        raise NoBackend

    async def serve(self, sock: socket.socket) -> asyncio.Server:
        return await asyncio.start_server(self._client, sock=sock, limit=_CHUNK)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await _Client(self, reader, writer).run()
        except (_ClientGone, OSError, h11.ProtocolError):
            writer.transport.abort()
        finally:
            writer.close()


class _Client:
    """One browser connection: its requests in order, each sent to a backend of its own."""

    def __init__(
        self, front: Front, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.front, self.reader, self.writer = front, reader, writer
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_HEAD)

    async def next_event(self, *, timeout_s: float | None = None) -> object:
        while (event := self.conn.next_event()) is h11.NEED_DATA:
            data = await asyncio.wait_for(self.reader.read(_CHUNK), timeout_s)
            self.conn.receive_data(data)
        return event

    async def send(self, event: h11.Event) -> None:
        if data := self.conn.send(event):
            self.writer.write(data)
            await self.writer.drain()

    async def run(self) -> None:
        while True:
            try:
                request = await self.next_event(timeout_s=_IDLE_S)
            except TimeoutError:
                return
            if not isinstance(request, h11.Request):
                return  # the browser closed its connection
            if request.method == b"GET" and _wants_upgrade(request.headers):
                await self._tunnel(request)
                return
            await self._exchange(request)
            if not (self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE):
                return  # a body left unread, or either side said close
            self.conn.start_next_cycle()

    async def _exchange(self, request: h11.Request) -> None:
        try:
            reader, writer = await self.front.connect()
        except NoBackend:
            await self._answer_502("no gateway accepts connections")
            return
        backend = h11.Connection(h11.CLIENT)
        try:
            headers = [*_end_to_end(request.headers), (b"connection", b"close")]
            writer.write(backend.send(h11.Request(
                method=request.method, target=request.target, headers=headers
            )))  # fmt: skip
            upload = asyncio.create_task(self._upload(backend, writer))
            download = asyncio.create_task(self._download(backend, reader))
            await _answered(upload, download)
        except (OSError, h11.ProtocolError) as exc:  # the backend broke off
            log.info("front.backend_failed", error=repr(exc))
            if self.conn.our_state is not h11.SEND_RESPONSE:
                raise _ClientGone from exc  # half an answer sent: cut, never pass it as whole
            await self._answer_502("the gateway broke off before it answered")
        finally:
            writer.close()

    async def _upload(self, backend: h11.Connection, writer: asyncio.StreamWriter) -> None:
        """The request's body, as the browser sends it; the backend may answer before the end."""
        while True:
            try:
                event = await self.next_event()
            except (OSError, h11.ProtocolError) as exc:
                raise _ClientGone from exc
            if not isinstance(event, (h11.Data, h11.EndOfMessage)):
                raise _ClientGone(f"unexpected {event!r} in a request body")
            try:
                writer.write(backend.send(event))
                await writer.drain()
            except (OSError, h11.ProtocolError):
                return  # the backend stopped reading: its answer (or its death) says why
            if isinstance(event, h11.EndOfMessage):
                return

    async def _download(self, backend: h11.Connection, reader: asyncio.StreamReader) -> None:
        while True:
            event = backend.next_event()
            if event is h11.NEED_DATA:
                backend.receive_data(await reader.read(_CHUNK))
            elif isinstance(event, h11.InformationalResponse):
                headers = _end_to_end(event.headers)
                await self.send(h11.InformationalResponse(
                    status_code=event.status_code, headers=headers, reason=event.reason
                ))  # fmt: skip
            elif isinstance(event, h11.Response):
                headers = _end_to_end(event.headers)
                await self.send(h11.Response(
                    status_code=event.status_code, headers=headers, reason=event.reason
                ))  # fmt: skip
            elif isinstance(event, h11.Data | h11.EndOfMessage):
                await self.send(event)
                if isinstance(event, h11.EndOfMessage):
                    return
            else:
                raise ConnectionError(f"the backend closed its connection ({event!r})")

    async def _answer_502(self, detail: str) -> None:
        log.warning("front.no_answer", detail=detail)
        body = json.dumps({"title": "Bad Gateway", "status": 502, "detail": detail}).encode()
        headers = [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", b"1"),
        ]
        if self.conn.their_state is not h11.DONE:  # its body stays unread: this connection ends
            headers.append((b"connection", b"close"))
        await self.send(h11.Response(status_code=502, headers=headers))
        await self.send(h11.Data(data=body))
        await self.send(h11.EndOfMessage())

    async def _tunnel(self, request: h11.Request) -> None:
        """A WebSocket: the upgrade request as it came, then bytes both ways until one side ends."""
        while (event := await self.next_event()) is not h11.PAUSED:
            if not isinstance(event, h11.EndOfMessage):
                return  # the browser closed, or sent a body with its upgrade
        try:
            reader, writer = await self.front.connect()
        except NoBackend:
            await self._answer_502("no gateway accepts connections")
            return
        try:
            writer.write(_head(request) + self.conn.trailing_data[0])
            await _splice((self.reader, self.writer), (reader, writer))
        finally:
            writer.close()


async def _answered(upload: asyncio.Task[None], download: asyncio.Task[None]) -> None:
    """Wait for the answer; a browser that broke off mid-body ends the exchange at once."""
    try:
        done, _ = await asyncio.wait({upload, download}, return_when=asyncio.FIRST_EXCEPTION)
        if upload in done and upload.exception() is not None:
            await upload  # raises _ClientGone
        await download
    finally:
        for task in (upload, download):
            task.cancel()
        await asyncio.gather(upload, download, return_exceptions=True)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(_CHUNK):
        writer.write(data)
        await writer.drain()


Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _splice(a: Stream, b: Stream) -> None:
    tasks = [asyncio.create_task(_pipe(a[0], b[1])), asyncio.create_task(_pipe(b[0], a[1]))]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _connection_tokens(headers: Iterable[tuple[bytes, bytes]]) -> set[bytes]:
    values = (value for name, value in headers if name == b"connection")
    return {token.strip().lower() for value in values for token in value.split(b",")}


def _wants_upgrade(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return b"upgrade" in _connection_tokens(headers)


def _end_to_end(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Without the hop-by-hop headers (RFC 9110 7.6.1), which each connection sets for itself."""
    headers = list(headers)
    dropped = _HOP_BY_HOP | _connection_tokens(headers)
    return [(name, value) for name, value in headers if name not in dropped]


def _head(request: h11.Request) -> bytes:
    lines = [b"%s %s HTTP/1.1" % (request.method, request.target)]
    lines += [b"%s: %s" % (name, value) for name, value in request.headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def listening_socket(port: int, host: str = "127.0.0.1") -> socket.socket:
    """Bound as uvicorn binds (SO_REUSEADDR): a port whose last connections wait out TIME_WAIT
    is free. Bound by the caller, so a port in use is said before anything starts."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


class FrontThread:
    """A front on an event loop of its own, in a thread of this process (`ttsjobs dev`)."""

    def __init__(self, sock: socket.socket, backends: Sequence[Address]) -> None:
        self.front = Front(backends)
        self._sock = sock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="front", daemon=True)

    @property
    def port(self) -> int:
        port: int = self._sock.getsockname()[1]
        return port

    def start(self) -> None:
        self._thread.start()
        if not self._started.wait(10):
            raise TimeoutError("the front did not start")

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            with contextlib.suppress(RuntimeError):  # its loop already ended
                self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop, self._stopping = asyncio.get_running_loop(), asyncio.Event()
        server = await self.front.serve(self._sock)
        self._started.set()
        try:
            await self._stopping.wait()
        finally:
            server.close()  # what is still open is cancelled as asyncio.run ends
