"""Chapters written into a job's encoded file, before it is hashed and uploaded, so that any
player finds them in the file itself: ID3v2 CHAP frames under a CTOC in MP3 (with mutagen),
MP4 chapters in M4A (remuxed with PyAV: the packets are copied, nothing is encoded again).

Other formats keep their chapters in the job's result only (the API serves them as WebVTT and
Podcasting 2.0 JSON): WAV, FLAC and Ogg have no chapter form that players agree on.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import av
from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags, ID3NoHeaderError

from ttsjobs.contracts.job_events import Chapter
from ttsjobs.jobs.chapters import ends

if TYPE_CHECKING:  # a TypedDict of PyAV's stubs only
    from av.container.core import Chapter as AvChapter

# ID3v2.3: the version podcast apps and older players read; mutagen writes 2.4 unless told.
_ID3_VERSION = 3
_TOC_ID = "toc"
_MILLISECONDS = Fraction(1, 1000)
_READ_BLOCK = 2**20

# (the file, its chapters, the audio's length in ms, where a temporary file may go)
_Marker = Callable[[BinaryIO, Sequence[Chapter], int, Path | None], None]


def writes_chapters(fmt: str) -> bool:
    """Whether files of format ``fmt`` (an OutputFormat's value) get chapters written in."""
    return fmt in _MARKERS


def mark(
    file: BinaryIO,
    fmt: str,
    chapters: Sequence[Chapter],
    duration_ms: int,
    *,
    directory: Path | None = None,
) -> tuple[int, str]:
    """Write ``chapters`` into the finished ``file`` (readable and writable, of format ``fmt``);
    its new size and SHA-256. Blocking: run it in a thread."""
    _MARKERS[fmt](file, chapters, duration_ms, directory)
    file.flush()
    file.seek(0)
    digest, size = hashlib.sha256(), 0
    while block := file.read(_READ_BLOCK):
        digest.update(block)
        size += len(block)
    file.seek(0)
    return size, digest.hexdigest()


def _id3(file: BinaryIO, chapters: Sequence[Chapter], duration_ms: int, _: Path | None) -> None:
    file.seek(0)
    try:
        tags = ID3(file)
    except ID3NoHeaderError:
        tags = ID3()
    ids = [f"chp{i:03d}" for i in range(len(chapters))]  # frames sort by id: in order
    tags.add(
        CTOC(
            element_id=_TOC_ID,
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(text=["Chapters"])],
        )
    )
    for element_id, chapter, end in zip(ids, chapters, ends(chapters, duration_ms), strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=chapter.start_ms,
                end_time=end,
                sub_frames=[TIT2(text=[chapter.title])],
            )
        )
    file.seek(0)
    tags.save(file, v2_version=_ID3_VERSION)


def _mp4(
    file: BinaryIO, chapters: Sequence[Chapter], duration_ms: int, directory: Path | None
) -> None:
    marks: list[AvChapter] = [
        {
            "id": i,
            "start": chapter.start_ms,
            "end": end,
            "time_base": _MILLISECONDS,
            "metadata": {"title": chapter.title},
        }
        for i, (chapter, end) in enumerate(
            zip(chapters, ends(chapters, duration_ms), strict=True), 1
        )
    ]
    file.seek(0)
    with tempfile.TemporaryFile(dir=directory, prefix="ttsjobs-chapters-") as remuxed:
        with av.open(file, "r") as source, av.open(remuxed, "w", format="ipod") as target:
            audio = source.streams.audio[0]
            stream = target.add_stream_from_template(audio)
            target.metadata.update(source.metadata)
            target.set_chapters(marks)
            for packet in source.demux(audio):
                if packet.dts is None:  # the demuxer's flush packet: nothing to copy
                    continue
                packet.stream = stream
                target.mux(packet)
        remuxed.seek(0)
        file.seek(0)
        file.truncate()
        shutil.copyfileobj(remuxed, file)


_MARKERS: dict[str, _Marker] = {"mp3": _id3, "m4a": _mp4}
