"""A job's audio streamed to a file: where it goes, and how a cut-off transfer goes on.

The file is written as ``<name>.part`` and renamed when whole, so a path that exists holds a
whole file. A transfer cut off midway is asked again from the byte it reached (Range), with
If-Range on the first answer's ETag: were the audio to change meanwhile, the gateway sends it
whole, and the file starts over.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import httpx

TRIES = 5
RETRIED = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class Downloaded:
    path: Path
    size: int
    content_type: str


def saved_name(disposition: str) -> str | None:
    """The file name a download names: the UTF-8 ``filename*`` (RFC 8187) if there is one,
    else ``filename``; never a path, whatever the server says."""
    extended = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition, re.IGNORECASE)
    simple = re.search(r'filename="([^"]+)"', disposition)
    name = unquote(extended.group(1)) if extended else simple.group(1) if simple else ""
    name = "".join(ch for ch in name if ch.isprintable())
    name = Path(name.replace("\\", "/")).name
    return name if name not in ("", ".", "..") else None


def target_of(to: str | os.PathLike[str], response: httpx.Response, job_id: str) -> Path:
    """Where a download goes: into ``to`` under the server's file name when ``to`` is a
    folder, else ``to`` itself."""
    to = Path(to)
    if not to.is_dir():
        return to
    return to / (saved_name(response.headers.get("content-disposition", "")) or job_id)


class Transfer:
    """One download's progress over as many requests as it takes."""

    def __init__(self) -> None:
        self.written = 0
        self.etag: str | None = None
        self.tries = 0
        self.target: Path | None = None
        self.content_type = ""

    def headers(self) -> dict[str, str]:
        if not self.written:
            return {}
        return {"Range": f"bytes={self.written}-", **({"If-Range": self.etag} if self.etag else {})}

    def begin(self, response: httpx.Response, to: str | os.PathLike[str], job_id: str) -> Path:
        """The ``.part`` file to write this answer's bytes to, opened fresh unless the answer
        goes on from where the last one stopped (206)."""
        if self.target is None:
            self.target = target_of(to, response, job_id)
            self.etag = response.headers.get("etag")
            self.content_type = response.headers.get("content-type", "")
        if response.status_code != 206:
            self.written = 0
        return self.target.with_name(self.target.name + ".part")

    def lost(self, err: Exception) -> None:
        """A transfer cut off: raised again once TRIES are spent."""
        self.tries += 1
        if self.tries >= TRIES or not isinstance(err, RETRIED):
            raise err

    def done(self) -> Downloaded:
        assert self.target is not None
        self.target.with_name(self.target.name + ".part").replace(self.target)
        return Downloaded(self.target, self.written, self.content_type)
