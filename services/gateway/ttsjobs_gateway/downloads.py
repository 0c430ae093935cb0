"""Serve a job's audio from object storage, honouring a single HTTP Range so players can seek."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import StreamingResponse
from minio import Minio

from ttsjobs.jobs import captions
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs_gateway.errors import AudioNotReady, RangeNotSatisfiable

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) inclusive, or None for the whole file. Raises when nothing fits."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or (not match[1] and not match[2]):
        return None  # RFC 9110: a server may ignore a Range it does not understand
    if not match[1]:
        suffix = int(match[2])
        if suffix == 0:
            raise RangeNotSatisfiable(size)
        return max(0, size - suffix), size - 1
    first = int(match[1])
    last = int(match[2]) if match[2] else size - 1
    if first >= size or last < first:
        raise RangeNotSatisfiable(size)
    return first, min(last, size - 1)


# What no file name should hold: path separators, characters Windows refuses, and every
# control, format, surrogate, private-use or unassigned character (categories C*).
_NOT_IN_NAMES = re.compile(r'[/\\:*?"<>|]')
_TITLE_CHARS = 80


def _clean_title(title: str) -> str:
    kept = "".join(
        " " if unicodedata.category(c).startswith(("C", "Z")) else c
        for c in _NOT_IN_NAMES.sub(" ", unicodedata.normalize("NFC", title))
    )
    # Runs of spaces become one _; no leading or trailing dots (hidden files, "..").
    return re.sub(r"\s+", "_", kept.strip()).strip("._")[:_TITLE_CHARS].rstrip("._")


def download_name(
    state: JobState, extension: str | None = None, *, ascii_only: bool = False
) -> str:
    """``2026-12-01_1530_早安會議.wav``: when the job was submitted (UTC, so names sort by it),
    then its title; a job without a usable title is named by its id. ``ascii_only`` gives
    the fallback for clients that do not read ``filename*``: the title when it is all ASCII,
    else the job's id."""
    extension = extension or (state.result.audio.format if state.result else "bin")
    title = _clean_title(state.title or "")
    if ascii_only and not title.isascii():
        title = ""  # a few Latin letters out of a Chinese title would name it wrongly
    stamp = state.created_at.astimezone(UTC).strftime("%Y-%m-%d_%H%M")
    return f"{stamp}_{title or f'ttsjobs-{state.id}'}.{extension}"


def content_disposition(state: JobState, extension: str | None = None) -> str:
    """RFC 6266: an ASCII ``filename`` every client reads, and the UTF-8 one in ``filename*``
    (RFC 8187) for those that read it, which is every browser."""
    fallback = download_name(state, extension, ascii_only=True)
    full = download_name(state, extension)
    value = f'attachment; filename="{fallback}"'
    if full != fallback:
        value += f"; filename*=UTF-8''{quote(full, safe='')}"
    return value


def _chunks(s3: Minio, bucket: str, key: str, offset: int, length: int) -> Iterator[bytes]:
    response = s3.get_object(bucket, key, offset=offset, length=length)
    try:
        yield from response.stream(_CHUNK)
    finally:
        response.close()
        response.release_conn()


async def audio_response(s3: Minio, state: JobState, range_header: str | None) -> StreamingResponse:
    assert state.result is not None
    audio = state.result.audio
    size = (await asyncio.to_thread(s3.stat_object, audio.bucket, audio.object_key)).size or 0
    span = parse_range(range_header, size)
    first, last = span if span else (0, size - 1)
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Length": str(last - first + 1),
        "Content-Disposition": content_disposition(state),
    }
    if span:
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    # A sync iterator: Starlette pulls it in a worker thread, so reads never block the loop.
    return StreamingResponse(
        _chunks(s3, audio.bucket, audio.object_key, first, last - first + 1),
        status_code=206 if span else 200,
        media_type=audio.content_type,
        headers=headers,
    )


def captions_response(state: JobState, fmt: captions.CaptionFormat) -> Response:
    """The job's captions, rendered from its turns and the timings its result holds."""
    result = state.result
    if state.status is not JobStatus.completed or result is None:
        raise AudioNotReady(state.id, state.status.value)
    timings = sorted(result.turn_timings, key=lambda timing: timing.index)
    body = captions.WRITERS[fmt](state.input.turns, timings).encode()
    return Response(
        body,
        media_type=captions.CONTENT_TYPES[fmt],
        headers={"Content-Disposition": content_disposition(state, fmt)},
    )
