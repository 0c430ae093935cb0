"""The front of `ttsjobs dev --cluster` over two tiny local backends (uvicorn, in this process):
requests alternate, a backend that refuses is skipped, a WebSocket echoes through with its close
code, big bodies and Range downloads pass intact, and a backend that breaks off gives a 502."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
import uvicorn
import websockets

from ttsjobs_cli.embedded.front import Front, listening_socket
from ttsjobs_cli.embedded.processes import free_port

AUDIO = os.urandom(300_000)
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def backend_app(name: str) -> Callable[[dict[str, Any], Receive, Send], Awaitable[None]]:
    """Says its name, echoes bodies and WebSocket messages, serves byte ranges of AUDIO."""

    async def respond(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]):
        length = (b"content-length", str(len(body)).encode())
        headers = [(b"x-backend", name.encode()), length, *headers]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await websocket(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if scope["path"] == "/echo":
            body = b""
            while (message := await receive())["type"] == "http.request":
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            await respond(send, 200, body, [])
        elif scope["path"] == "/audio":
            first, last = 0, len(AUDIO) - 1
            if b"range" in headers:
                start, end = headers[b"range"].removeprefix(b"bytes=").split(b"-")
                first, last = int(start), int(end)
            status = 206 if b"range" in headers else 200
            content_range = f"bytes {first}-{last}/{len(AUDIO)}".encode()
            await respond(
                send, status, AUDIO[first : last + 1], [(b"content-range", content_range)]
            )
        else:
            seen = {k.decode(): v.decode() for k, v in scope["headers"]}
            await respond(send, 200, json.dumps(seen).encode(), [])

    async def websocket(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": name})
        while (message := await receive())["type"] == "websocket.receive":
            if message.get("text") == "bye":
                await send({"type": "websocket.close", "code": 4001, "reason": "bye from " + name})
                return
            await send({"type": "websocket.send", "text": f"{name}: {message.get('text')}"})

    return app


@contextlib.asynccontextmanager
async def backend(name: str) -> AsyncIterator[uvicorn.Server]:
    config = uvicorn.Config(
        backend_app(name), host="127.0.0.1", port=free_port(), log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the backend did not start"
        await asyncio.sleep(0.01)
    try:
        yield server
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def front_over(*ports: int) -> AsyncIterator[str]:
    sock = listening_socket(0)
    server = await Front([("127.0.0.1", port) for port in ports]).serve(sock)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.close()


def port_of(server: uvicorn.Server) -> int:
    port: int = server.config.port
    return port


@pytest.fixture
async def two() -> AsyncIterator[tuple[uvicorn.Server, uvicorn.Server]]:
    async with backend("a") as a, backend("b") as b:
        yield a, b


async def test_requests_alternate_over_one_kept_alive_connection(two):
    async with front_over(*map(port_of, two)) as url, httpx.AsyncClient(base_url=url) as client:
        answers = [
            await client.get("/who", headers={"Authorization": "Bearer k"}) for _ in range(4)
        ]
    assert [r.headers["x-backend"] for r in answers] == ["a", "b", "a", "b"]
    seen = answers[0].json()
    assert seen["authorization"] == "Bearer k" and seen["host"] == url.removeprefix("http://")
    assert seen["connection"] == "close", "the front's own hop to the backend, not the browser's"


async def test_a_backend_that_refuses_is_skipped_and_none_gives_a_502():
    dead = free_port()
    async with backend("a") as a:
        async with front_over(dead, port_of(a)) as url, httpx.AsyncClient(base_url=url) as client:
            answers = [await client.get("/who") for _ in range(3)]
            assert [r.headers["x-backend"] for r in answers] == ["a", "a", "a"]

        b_stopped = contextlib.AsyncExitStack()
        b = await b_stopped.enter_async_context(backend("b"))
        async with (
            front_over(port_of(a), port_of(b)) as url,
            httpx.AsyncClient(base_url=url) as client,
        ):
            answers = [await client.get("/who") for _ in range(2)]
            assert [r.headers["x-backend"] for r in answers] == ["a", "b"]
            await b_stopped.aclose()  # gone between two requests: the browser does not notice
            answers = [await client.get("/who") for _ in range(4)]
            assert [r.headers["x-backend"] for r in answers] == ["a"] * 4

    async with front_over(dead) as url, httpx.AsyncClient(base_url=url) as client:
        refused = await client.post("/echo", content=b"x" * 10)
        assert refused.status_code == 502 and refused.headers["retry-after"] == "1"
        assert refused.headers["content-type"] == "application/problem+json"


async def test_a_websocket_echoes_through_one_backend_with_its_close_code(two):
    async with front_over(*map(port_of, two)) as url:
        ws_url = url.replace("http", "ws") + "/api/v1/jobs/events"
        async with websockets.connect(
            ws_url, additional_headers={"Authorization": "Bearer k"}
        ) as ws:
            name = await ws.recv()
            for text in ("one", "two"):
                await ws.send(text)
                assert await ws.recv() == f"{name}: {text}", "the same backend all along"
            await ws.send("bye")
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await ws.recv()
        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4001, f"bye from {name}")


async def test_a_megabyte_body_and_a_range_download_pass_intact(two):
    body = os.urandom(1_000_000)

    async def in_pieces() -> AsyncIterator[bytes]:  # sent chunked: no Content-Length
        for i in range(0, len(body), 100_000):
            yield body[i : i + 100_000]

    async with front_over(*map(port_of, two)) as url, httpx.AsyncClient(base_url=url) as client:
        echoed = await client.post("/echo", content=body)
        assert hashlib.sha256(echoed.content).digest() == hashlib.sha256(body).digest()
        assert (await client.post("/echo", content=in_pieces())).content == body

        part = await client.get("/audio", headers={"Range": "bytes=1000-200999"})
        assert part.status_code == 206 and part.content == AUDIO[1000:201000]
        assert part.headers["content-range"] == f"bytes 1000-200999/{len(AUDIO)}"
        whole = await client.get("/audio")
        assert whole.content == AUDIO and whole.headers["content-length"] == str(len(AUDIO))
        head = await client.head("/audio")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(AUDIO))


async def test_a_backend_that_breaks_off_before_answering_gives_a_502():
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    rude = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = rude.sockets[0].getsockname()[1]
    try:
        async with front_over(port) as url, httpx.AsyncClient(base_url=url) as client:
            broken = await client.get("/who")
            assert broken.status_code == 502 and "broke off" in broken.json()["detail"]
            assert (await client.get("/who")).status_code == 502, "the front itself stays up"
    finally:
        rude.close()
