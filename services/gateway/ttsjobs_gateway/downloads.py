"""Serve a job's audio from object storage and its captions, honouring a single HTTP Range
(so players can seek) and If-Range, for GET and HEAD alike; see ranges.py for the RFC's rules."""

from __future__ import annotations

import asyncio
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import StreamingResponse
from minio import Minio

from ttsjobs.jobs import captions
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs_gateway.errors import AudioNotReady
from ttsjobs_gateway.ranges import Span, http_date, parse_range, range_applies

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class RangeRequest:
    """What a download request says about the part it wants."""

    range: str | None = None
    if_range: str | None = None
    head: bool = False


@dataclass(frozen=True)
class _File:
    size: int
    media_type: str
    disposition: str
    etag: str | None
    last_modified: datetime | None


def _span(file: _File, asked: RangeRequest) -> Span | None:
    # Only GET has ranges (RFC 9110 §14.2); a HEAD describes the whole file.
    if asked.head or not range_applies(
        asked.if_range, etag=file.etag, last_modified=file.last_modified
    ):
        return None
    return parse_range(asked.range, file.size)


def _headers(file: _File, span: Span | None) -> dict[str, str]:
    first, last = span or (0, file.size - 1)
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Length": str(last - first + 1),
        "Content-Disposition": file.disposition,
    }
    if file.etag:
        headers["ETag"] = file.etag
    if file.last_modified:
        headers["Last-Modified"] = http_date(file.last_modified)
    if span:
        headers["Content-Range"] = f"bytes {first}-{last}/{file.size}"
    return headers


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


async def audio_response(s3: Minio, state: JobState, asked: RangeRequest) -> Response:
    assert state.result is not None
    audio = state.result.audio
    disposition = content_disposition(state)
    return await stored_response(
        s3, audio.bucket, audio.object_key, audio.content_type, disposition, asked
    )


async def stored_response(
    s3: Minio, bucket: str, key: str, media_type: str, disposition: str, asked: RangeRequest
) -> Response:
    """A stored object of a job (its audio, its stems), streamed, with ranges as asked."""
    stat = await asyncio.to_thread(s3.stat_object, bucket, key)
    file = _File(
        size=stat.size or 0,
        media_type=media_type,
        disposition=disposition,
        # The store's own tag: a strong validator, since a stored file never changes.
        etag=f'"{stat.etag}"' if stat.etag else None,
        last_modified=stat.last_modified,
    )
    span = _span(file, asked)
    status = 206 if span else 200
    if asked.head:
        return Response(
            status_code=status, media_type=file.media_type, headers=_headers(file, span)
        )
    first, last = span or (0, file.size - 1)
    # A sync iterator: Starlette pulls it in a worker thread, so reads never block the loop.
    return StreamingResponse(
        _chunks(s3, bucket, key, first, last - first + 1),
        status_code=status,
        media_type=file.media_type,
        headers=_headers(file, span),
    )


def captions_response(
    state: JobState, fmt: captions.CaptionFormat, asked: RangeRequest | None = None
) -> Response:
    """The job's captions, rendered from its turns and the timings its result holds."""
    asked = asked or RangeRequest()
    result = state.result
    if state.status is not JobStatus.completed or result is None:
        raise AudioNotReady(state.id, state.status.value)
    timings = sorted(result.turn_timings, key=lambda timing: timing.index)
    body = captions.WRITERS[fmt](state.input.turns, timings).encode()
    return rendered_response(
        body, captions.CONTENT_TYPES[fmt], content_disposition(state, fmt), asked
    )


def rendered_response(
    body: bytes, media_type: str, disposition: str, asked: RangeRequest
) -> Response:
    """A file rendered on each request, ranges and HEAD honoured."""
    file = _File(
        size=len(body),
        media_type=media_type,
        disposition=disposition,
        # The tag is the body's, and there is no Last-Modified, since a new renderer changes
        # the body while the job's dates stay.
        etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        last_modified=None,
    )
    span = _span(file, asked)
    first, last = span or (0, file.size - 1)
    return Response(
        b"" if asked.head else body[first : last + 1],
        status_code=206 if span else 200,
        media_type=file.media_type,
        headers=_headers(file, span),
    )
