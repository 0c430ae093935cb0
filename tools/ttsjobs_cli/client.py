"""The REST and WebSocket calls the CLI makes, with errors a person can read."""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from ttsjobs_cli.retrying import Outcome, post_retrying_blocking
from ttsjobs_cli.safe_text import plain


class CliError(Exception):
    """Shown to the user as is; ``exit_code`` 1 for a refused request, 2 for no server."""

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _object(response: httpx.Response) -> dict[str, Any]:
    """The body of a gateway answer that is a JSON object (every one the CLI reads is)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        # Another program on that port (or a proxy's error page): say so, not a traceback.
        raise CliError(f"{response.url} did not answer as ttsjobs does (not a JSON object)")
    return body


def _problem_text(response: httpx.Response) -> str:
    try:
        problem = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    if not isinstance(problem, dict):
        return f"HTTP {response.status_code}: {response.text[:200]}"
    errors = problem.get("errors") or []
    # With errors, the detail only repeats them: the title, then one line each.
    headline = problem.get("title") if errors else problem.get("detail")
    # The lines are the CLI's; what each says is the server's, kept to its one line.
    lines = [plain(headline or problem.get("title") or f"HTTP {response.status_code}")]
    for error in errors:
        line = _SCRIPT_LINE.fullmatch(str(error.get("field")))
        where = f"line {line.group(1)}" if line else error.get("field")
        lines.append(f"  {plain(where)}: {plain(error.get('reason'))}")
    return "\n".join(lines)


_SCRIPT_LINE = re.compile(r"script\.line\[(\d+)\]")
RETRY_FOR_S = 30.0


def _retry_note() -> Callable[[Outcome, float], None]:
    """Says once, on stderr, that a POST is being sent again: stdout (the jobs made) reads the
    same whether or not it was, and a person waiting knows why."""
    said = False

    def note(outcome: Outcome, wait_s: float) -> None:
        nonlocal said
        if not said:
            got = (
                type(outcome).__name__
                if isinstance(outcome, httpx.TransportError)
                else f"HTTP {outcome.status_code}"
            )
            print(f"no answer yet ({got}); sending it again with the same Idempotency-Key for"
                  f" up to {RETRY_FOR_S:g} s", file=sys.stderr)  # fmt: skip
        said = True

    return note


class Api:
    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None,
        url_source: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._url_source = url_source
        self._auth = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        try:
            self._http = httpx.Client(base_url=self.base_url, timeout=timeout, headers=self._auth)
        except (httpx.InvalidURL, ValueError) as err:
            raise CliError(f"--url {plain(base_url)!r} is not a URL ({err})", exit_code=2) from err

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self._checked(lambda: self._http.request(method, path, **kwargs))

    def post_keyed(self, path: str, **kwargs: Any) -> httpx.Response:
        """A POST that makes something, sent with an Idempotency-Key of its own and sent again
        while its answer never came (retrying.py): never two jobs, and a gateway that dies or
        restarts meanwhile costs a wait, not an error."""
        key, note = str(uuid.uuid4()), _retry_note()
        return self._checked(
            lambda: post_retrying_blocking(
                self._http, path, key=key, deadline_s=RETRY_FOR_S, waiting=note, **kwargs
            )
        )

    def _checked(self, send: Callable[[], httpx.Response]) -> httpx.Response:
        try:
            response = send()
        except httpx.TransportError as err:
            found = f", the URL in {self._url_source}" if self._url_source else ""
            raise CliError(
                f"cannot reach ttsjobs at {self.base_url}{found} ({err}); is it running? "
                "Start it with `make run`, or pass --url.",
                exit_code=2,
            ) from err
        except httpx.InvalidURL as err:
            raise CliError(
                f"{self.base_url}: not a URL the CLI can call ({err})", exit_code=2
            ) from err
        if response.status_code == 401:
            raise CliError(
                f"{_problem_text(response)}\nPass --api-key or set TTSJOBS_API_KEY "
                "(`ttsjobs users create NAME` makes one; `ttsjobs dev` keeps the local user's "
                "in .ttsjobs-data/local-api-key)."
            )
        if response.status_code >= 400:
            raise CliError(_problem_text(response))
        return response

    def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        return _object(self.post_keyed("/api/v1/jobs/tts/multi-role", json=body))

    def submit_script(self, script: bytes, fields: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "text/plain; charset=utf-8"}
        response = self.post_keyed(
            "/api/v1/jobs/tts/multi-role", content=script, params=fields, headers=headers
        )
        return _object(response)

    def submit_text(self, body: dict[str, Any]) -> dict[str, Any]:
        return _object(self.post_keyed("/api/v1/jobs/tts", json=body))

    def job(self, job_id: str) -> dict[str, Any]:
        return _object(self.request("GET", f"/api/v1/jobs/{job_id}"))

    def jobs(
        self,
        *,
        limit: int,
        status: str | None = None,
        q: str | None = None,
        id_prefix: str | None = None,
    ) -> dict[str, Any]:
        given = {"limit": limit, "status": status, "q": q, "id_prefix": id_prefix}
        params = {name: value for name, value in given.items() if value is not None}
        return _object(self.request("GET", "/api/v1/jobs", params=params))

    def cancel(self, job_id: str) -> dict[str, Any]:
        # Not DELETE: a job that finished a moment ago would be deleted instead of refused.
        return _object(self.request("POST", f"/api/v1/jobs/{job_id}/cancel"))

    def delete(self, job_id: str) -> dict[str, Any] | None:
        """The job as cancelled (it was unfinished), or None: it was finished and is gone."""
        response = self.request("DELETE", f"/api/v1/jobs/{job_id}")
        return None if response.status_code == 204 else _object(response)

    def voices(self, **filters: str | None) -> dict[str, Any]:
        params = {k: v for k, v in filters.items() if v is not None}
        return _object(self.request("GET", "/api/v1/voices", params=params))

    def download(self, job_id: str) -> httpx.Response:
        return self.request("GET", f"/api/v1/jobs/{job_id}/download")

    async def follow(self, job_id: str) -> AsyncIterator[dict[str, Any]]:
        """The job's feed: its state, then each event, until it ends; resumes if cut off."""
        ws_url = self.base_url.replace("http", "ws", 1) + f"/api/v1/jobs/{job_id}/events"
        after: int | None = None
        while True:
            url = ws_url if after is None else f"{ws_url}?after={after}"
            try:
                async with connect(url, additional_headers=self._auth) as ws:
                    async for raw in ws:
                        message = json.loads(raw)
                        if message["type"] == "ping":
                            continue
                        after = message["seq"]
                        yield message
                    if ws.close_code == 1000:
                        return
                    if ws.close_code == 4404:
                        raise CliError(f"there is no job {job_id}")
                    if ws.close_code == 4401:
                        raise CliError(f"the feed refused the API key: {ws.close_reason}")
            except (OSError, ConnectionClosed) as err:
                raise CliError(f"lost the feed of job {job_id}: {err}", exit_code=2) from err
            except WebSocketException as err:  # refused at the handshake, or not a WebSocket
                raise CliError(f"the feed of job {job_id} refused: {err}", exit_code=2) from err
