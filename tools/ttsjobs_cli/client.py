"""The CLI's calls to the gateway, through the SDK (clients/python, ``ttsjobs_client``), with
errors a person can read. The CLI reads the API's JSON as it comes (``show --json`` prints it
as is), so it takes the SDK's answers as dicts rather than as its models."""

from __future__ import annotations

import re
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from ttsjobs_client import ApiError, AsyncClient, Client, Downloaded, FeedRefused
from ttsjobs_client.calls import DIALOGUE, JOBS, SCRIPT_CONTENT, SUBMIT_RETRY_S, TEXT
from ttsjobs_client.retrying import Outcome

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


def _problem_text(err: ApiError) -> str:
    if err.body is None:
        return f"HTTP {err.status}: {err.title}"
    # With errors, the detail only repeats them: the title, then one line each.
    headline = err.title if err.errors else err.detail
    # The lines are the CLI's; what each says is the server's, kept to its one line.
    lines = [plain(headline or err.title or f"HTTP {err.status}")]
    for error in err.errors:
        line = _SCRIPT_LINE.fullmatch(str(error.get("field")))
        where = f"line {line.group(1)}" if line else error.get("field")
        lines.append(f"  {plain(where)}: {plain(error.get('reason'))}")
    return "\n".join(lines)


_SCRIPT_LINE = re.compile(r"script\.line\[(\d+)\]")
RETRY_FOR_S = SUBMIT_RETRY_S


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
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._url_source = url_source
        try:
            self._sdk = Client(
                self.base_url, api_key, timeout=timeout, transport=transport,
                on_retry=_retry_note(),
            )  # fmt: skip
        except (httpx.InvalidURL, ValueError) as err:
            raise CliError(f"--url {plain(base_url)!r} is not a URL ({err})", exit_code=2) from err

    def close(self) -> None:
        self._sdk.close()

    @contextmanager
    def _said(self) -> Iterator[None]:
        """The SDK's errors as the CLI says them."""
        try:
            yield
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
        except ApiError as err:
            if err.status == 401:
                raise CliError(
                    f"{_problem_text(err)}\nPass --api-key or set TTSJOBS_API_KEY "
                    "(`ttsjobs users create NAME` makes one; `ttsjobs dev` keeps the local "
                    "user's in .ttsjobs-data/local-api-key)."
                ) from err
            raise CliError(_problem_text(err)) from err

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        with self._said():
            return self._sdk.request(method, path, **kwargs)

    def post_keyed(self, path: str, **kwargs: Any) -> httpx.Response:
        """A POST that makes something, with an Idempotency-Key of its own and sent again while
        its answer never came (the SDK's retrying): never two jobs, and a gateway that dies or
        restarts meanwhile costs a wait, not an error."""
        with self._said():
            return self._sdk.post_keyed(path, **kwargs)

    def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        return _object(self.post_keyed(DIALOGUE, json=body))

    def submit_script(self, script: bytes, fields: dict[str, Any]) -> dict[str, Any]:
        response = self.post_keyed(DIALOGUE, content=script, params=fields, headers=SCRIPT_CONTENT)
        return _object(response)

    def submit_text(self, body: dict[str, Any]) -> dict[str, Any]:
        return _object(self.post_keyed(TEXT, json=body))

    def job(self, job_id: str) -> dict[str, Any]:
        return _object(self.request("GET", f"{JOBS}/{job_id}"))

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
        return _object(self.request("GET", JOBS, params=params))

    def cancel(self, job_id: str) -> dict[str, Any]:
        # Not DELETE: a job that finished a moment ago would be deleted instead of refused.
        return _object(self.request("POST", f"{JOBS}/{job_id}/cancel"))

    def delete(self, job_id: str) -> dict[str, Any] | None:
        """The job as cancelled (it was unfinished), or None: it was finished and is gone."""
        response = self.request("DELETE", f"{JOBS}/{job_id}")
        return None if response.status_code == 204 else _object(response)

    def voices(self, **filters: str | None) -> dict[str, Any]:
        params = {k: v for k, v in filters.items() if v is not None}
        return _object(self.request("GET", "/api/v1/voices", params=params))

    def download(self, job_id: str, to: Path) -> Downloaded:
        """The job's audio streamed to ``to`` (a folder: under the name the gateway gives)."""
        with self._said():
            return self._sdk.download(job_id, to)

    async def follow(self, job_id: str) -> AsyncIterator[dict[str, Any]]:
        """The job's feed: its state, then each event, until it ends; resumed if cut off."""
        async with AsyncClient(self.base_url, self._api_key) as sdk:
            try:
                async for message in sdk.follow(job_id):
                    yield message
            except FeedRefused as err:
                if err.code == 4404:
                    raise CliError(f"there is no job {job_id}") from err
                if err.code == 4401:
                    raise CliError(f"the feed refused the API key: {err.reason}") from err
                raise CliError(f"the feed of job {job_id} refused: {err.reason}") from err
            except ApiError as err:  # asked by GET while the feed was away
                raise CliError(_problem_text(err)) from err
