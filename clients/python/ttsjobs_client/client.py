"""``Client``: the job API from blocking code. Submits (with an Idempotency-Key, sent again
while no answer comes), reads, cancels, ``wait`` over the job's WebSocket feed (resumed across
reconnects, a gateway restart included) and ``download`` streamed to a file.

Every refused request raises ApiError (the problem document's fields); the typed answers are
the generated models (``JobView``, ``JobPage``). ``generated`` is the generated client on the
same connection, for every other operation of the API.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.sync.client import connect

from ttsjobs_client import calls
from ttsjobs_client._generated.client import AuthenticatedClient
from ttsjobs_client._generated.models.job_page import JobPage
from ttsjobs_client._generated.models.job_view import JobView
from ttsjobs_client.downloads import Downloaded, Transfer
from ttsjobs_client.errors import ApiError
from ttsjobs_client.feed import FINISHED, FeedCursor, seconds_left, seconds_until
from ttsjobs_client.retrying import Outcome, post_retrying_blocking

OnRetry = Callable[[Outcome, float], None]
# A lost feed, or a gateway that does not answer: waited out, then tried again.
LOST = (OSError, ConnectionClosed, InvalidHandshake, TimeoutError)
OPEN_S = 10.0  # a handshake that takes longer is lost, and tried again


class Client:
    """``Client("http://127.0.0.1:8000", api_key="tj_…")``; ``on_retry`` hears of each wait
    before a submit is sent again (what was answered, for how long)."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        on_retry: OnRetry | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._auth = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._on_retry = on_retry
        self.http = httpx.Client(
            base_url=self.base_url, timeout=timeout, headers=self._auth, transport=transport
        )
        self.generated = AuthenticatedClient(base_url=self.base_url, token=api_key or "")
        self.generated.set_httpx_client(self.http)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Any call of the API; ApiError when refused."""
        return calls.checked(self.http.request(method, path, **kwargs))

    def post_keyed(self, path: str, *, key: str | None = None, **kwargs: Any) -> httpx.Response:
        """A POST that makes something, with an Idempotency-Key (``key``, else a new one) and
        sent again while its answer never came: never two jobs, and a gateway that restarts
        meanwhile costs a wait, not an error."""
        response = post_retrying_blocking(
            self.http, path, key=key or str(uuid.uuid4()), deadline_s=calls.SUBMIT_RETRY_S,
            waiting=self._on_retry, **kwargs,
        )  # fmt: skip
        return calls.checked(response)

    def submit(self, body: calls.Body, *, idempotency_key: str | None = None,
               **options: Any) -> JobView:  # fmt: skip
        """A dialogue (``MultiRoleRequest`` or its dict), ``options`` over its fields."""
        json = calls.json_body(body, options)
        return calls.job_of(self.post_keyed(calls.DIALOGUE, key=idempotency_key, json=json))

    def submit_text(
        self, text: str | calls.Body, *, idempotency_key: str | None = None, **options: Any
    ) -> JobView:
        """A long text for one voice: the text itself with ``options`` (``provider``,
        ``voice``…), or a whole ``SingleRequest``."""
        body = {"text": text} if isinstance(text, str) else text
        json = calls.json_body(body, options)
        return calls.job_of(self.post_keyed(calls.TEXT, key=idempotency_key, json=json))

    def submit_script(
        self,
        path_or_text: str | os.PathLike[str],
        *,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> JobView:
        """A script (``Alice: Hello.`` lines): a path is read, a ``str`` is the script;
        ``options`` are the job's (``title``, ``provider``, ``output_format``…)."""
        response = self.post_keyed(
            calls.DIALOGUE, key=idempotency_key, content=calls.script_bytes(path_or_text),
            params=calls.query(options), headers=calls.SCRIPT_CONTENT,
        )  # fmt: skip
        return calls.job_of(response)

    def job(self, job_id: str) -> JobView:
        return calls.job_of(self.request("GET", calls.job_path(job_id)))

    def jobs_page(
        self, *, limit: int = 20, cursor: str | None = None, status: str | None = None,
        q: str | None = None, id_prefix: str | None = None,
    ) -> JobPage:  # fmt: skip
        """One page of the caller's jobs, newest first; its ``next_cursor`` asks the next."""
        params = calls.list_params(
            limit=limit, cursor=cursor, status=status, q=q, id_prefix=id_prefix
        )
        return calls.page_of(self.request("GET", calls.JOBS, params=params))

    def jobs(
        self, *, page_size: int = 20, cursor: str | None = None, status: str | None = None,
        q: str | None = None,
    ) -> Iterator[JobView]:  # fmt: skip
        """Every job (or those of ``status``, or matching ``q``), a page at a time."""
        while True:
            page = self.jobs_page(limit=page_size, cursor=cursor, status=status, q=q)
            yield from page.items
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def cancel(self, job_id: str) -> JobView:
        """Cancels an unfinished job (a finished one is refused, 409, rather than deleted)."""
        return calls.job_of(self.request("POST", f"{calls.job_path(job_id)}/cancel"))

    def follow(self, job_id: str, *, timeout_s: float | None = None) -> Iterator[dict[str, Any]]:
        """The job's feed: a snapshot, then each event, until the job ends. A feed cut off is
        resumed after the last event seen; while the gateway is away the job is asked for by
        GET, and a job found finished ends the feed. TimeoutError past ``timeout_s``."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        cursor = FeedCursor(self.base_url, job_id)
        while True:
            code, reason = None, ""
            try:
                opening = seconds_left(deadline, OPEN_S)
                with connect(cursor.url, additional_headers=self._auth, open_timeout=opening) as ws:
                    while True:
                        raw = ws.recv(timeout=seconds_until(deadline))
                        if (message := cursor.take(raw)) is not None:
                            yield message
            except ConnectionClosed as closed:
                code, reason = (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else (None, "")
            except LOST:
                pass
            if cursor.finished(code, reason) or self._finished(job_id):
                return
            time.sleep(min(cursor.backoff(), seconds_left(deadline, 60.0)))

    def wait(
        self, job_id: str, *, timeout_s: float | None = None,
        on_message: Callable[[dict[str, Any]], None] | None = None,
    ) -> JobView:  # fmt: skip
        """The job once it has ended (completed, failed or cancelled), followed over its feed;
        ``on_message`` hears each feed message. TimeoutError past ``timeout_s``."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        for message in self.follow(job_id, timeout_s=timeout_s):
            if on_message is not None:
                on_message(message)
        while True:  # the final event can reach the feed a moment before the job's read
            job = self.job(job_id)
            if job.status.value in FINISHED:
                return job
            time.sleep(min(0.1, seconds_left(deadline, 0.1)))

    def download(self, job_id: str, to: str | os.PathLike[str] = ".") -> Downloaded:
        """The job's audio streamed to ``to`` (a file, or a folder: then under the name the
        gateway gives); a transfer cut off goes on from where it stopped."""
        transfer = Transfer()
        while True:
            try:
                return self._transfer(job_id, to, transfer)
            except httpx.TransportError as err:
                transfer.lost(err)
                time.sleep(0.25 * transfer.tries)

    def _transfer(self, job_id: str, to: str | os.PathLike[str], transfer: Transfer) -> Downloaded:
        path = f"{calls.job_path(job_id)}/download"
        with self.http.stream("GET", path, headers=transfer.headers()) as response:
            if response.status_code >= 400:
                response.read()
                raise ApiError.of(response)
            part = transfer.begin(response, to, job_id)
            with part.open("ab" if transfer.written else "wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
                    transfer.written += len(chunk)
        return transfer.done()

    def _finished(self, job_id: str) -> bool:
        """Whether the job has ended, asked by GET while its feed is away; a gateway that does
        not answer yet is not an answer."""
        try:
            return self.job(job_id).status.value in FINISHED
        except httpx.TransportError:
            return False
        except ApiError as err:
            if err.status >= 500:
                return False
            raise
