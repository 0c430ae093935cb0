"""``AsyncClient``: ``Client`` (client.py) for asyncio, method for method; the routes, bodies,
feed cursor and download bookkeeping are shared (calls.py, feed.py, downloads.py)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from ttsjobs_client import calls
from ttsjobs_client._generated.client import AuthenticatedClient
from ttsjobs_client._generated.models.job_page import JobPage
from ttsjobs_client._generated.models.job_view import JobView
from ttsjobs_client.client import LOST, OPEN_S
from ttsjobs_client.downloads import Downloaded, Transfer
from ttsjobs_client.errors import ApiError
from ttsjobs_client.feed import FINISHED, FeedCursor, seconds_left, seconds_until
from ttsjobs_client.retrying import post_retrying


class AsyncClient:
    """``async with AsyncClient("http://127.0.0.1:8000", api_key="tj_…") as client:``"""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._auth = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout, headers=self._auth, transport=transport
        )
        self.generated = AuthenticatedClient(base_url=self.base_url, token=api_key or "")
        self.generated.set_async_httpx_client(self.http)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return calls.checked(await self.http.request(method, path, **kwargs))

    async def post_keyed(
        self, path: str, *, key: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        response = await post_retrying(
            self.http, path, key=key or str(uuid.uuid4()), deadline_s=calls.SUBMIT_RETRY_S,
            **kwargs,
        )  # fmt: skip
        return calls.checked(response)

    async def submit(
        self, body: calls.Body, *, idempotency_key: str | None = None, **options: Any
    ) -> JobView:
        json = calls.json_body(body, options)
        return calls.job_of(await self.post_keyed(calls.DIALOGUE, key=idempotency_key, json=json))

    async def submit_text(
        self, text: str | calls.Body, *, idempotency_key: str | None = None, **options: Any
    ) -> JobView:
        body = {"text": text} if isinstance(text, str) else text
        json = calls.json_body(body, options)
        return calls.job_of(await self.post_keyed(calls.TEXT, key=idempotency_key, json=json))

    async def submit_script(
        self,
        path_or_text: str | os.PathLike[str],
        *,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> JobView:
        script = await asyncio.to_thread(calls.script_bytes, path_or_text)
        response = await self.post_keyed(
            calls.DIALOGUE, key=idempotency_key, content=script,
            params=calls.query(options), headers=calls.SCRIPT_CONTENT,
        )  # fmt: skip
        return calls.job_of(response)

    async def job(self, job_id: str) -> JobView:
        return calls.job_of(await self.request("GET", calls.job_path(job_id)))

    async def jobs_page(
        self, *, limit: int = 20, cursor: str | None = None, status: str | None = None,
        q: str | None = None, id_prefix: str | None = None,
    ) -> JobPage:  # fmt: skip
        params = calls.list_params(
            limit=limit, cursor=cursor, status=status, q=q, id_prefix=id_prefix
        )
        return calls.page_of(await self.request("GET", calls.JOBS, params=params))

    async def jobs(
        self, *, page_size: int = 20, cursor: str | None = None, status: str | None = None,
        q: str | None = None,
    ) -> AsyncIterator[JobView]:  # fmt: skip
        while True:
            page = await self.jobs_page(limit=page_size, cursor=cursor, status=status, q=q)
            for job in page.items:
                yield job
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    async def cancel(self, job_id: str) -> JobView:
        return calls.job_of(await self.request("POST", f"{calls.job_path(job_id)}/cancel"))

    async def follow(
        self, job_id: str, *, timeout_s: float | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """As Client.follow: resumed after the last event seen, GET while the gateway is away."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        cursor = FeedCursor(self.base_url, job_id)
        while True:
            code, reason = None, ""
            try:
                opening = seconds_left(deadline, OPEN_S)
                feed = connect(cursor.url, additional_headers=self._auth, open_timeout=opening)
                async with feed as ws:
                    while True:
                        raw = await asyncio.wait_for(ws.recv(), seconds_until(deadline))
                        if (message := cursor.take(raw)) is not None:
                            yield message
            except ConnectionClosed as closed:
                code, reason = (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else (None, "")
            except LOST:
                pass
            if cursor.finished(code, reason) or await self._finished(job_id):
                return
            await asyncio.sleep(min(cursor.backoff(), seconds_left(deadline, 60.0)))

    async def wait(
        self, job_id: str, *, timeout_s: float | None = None,
        on_message: Callable[[dict[str, Any]], None] | None = None,
    ) -> JobView:  # fmt: skip
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        async for message in self.follow(job_id, timeout_s=timeout_s):
            if on_message is not None:
                on_message(message)
        while True:
            job = await self.job(job_id)
            if job.status.value in FINISHED:
                return job
            await asyncio.sleep(min(0.1, seconds_left(deadline, 0.1)))

    async def download(self, job_id: str, to: str | os.PathLike[str] = ".") -> Downloaded:
        transfer = Transfer()
        while True:
            try:
                return await self._transfer(job_id, to, transfer)
            except httpx.TransportError as err:
                transfer.lost(err)
                await asyncio.sleep(0.25 * transfer.tries)

    async def _transfer(
        self, job_id: str, to: str | os.PathLike[str], transfer: Transfer
    ) -> Downloaded:
        path = f"{calls.job_path(job_id)}/download"
        async with self.http.stream("GET", path, headers=transfer.headers()) as response:
            if response.status_code >= 400:
                await response.aread()
                raise ApiError.of(response)
            part = transfer.begin(response, to, job_id)
            # Blocking writes of what the socket gave: a local disk, not worth a thread each.
            with part.open("ab" if transfer.written else "wb") as out:
                async for chunk in response.aiter_bytes():
                    out.write(chunk)
                    transfer.written += len(chunk)
        return transfer.done()

    async def _finished(self, job_id: str) -> bool:
        try:
            return (await self.job(job_id)).status.value in FINISHED
        except httpx.TransportError:
            return False
        except ApiError as err:
            if err.status >= 500:
                return False
            raise
