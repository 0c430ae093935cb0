"""A job's stems: one track per speaker, for a producer to mix in a DAW, zipped and stored beside
the audio when the job asks for them (``stems: true``: they take about as much room again as
the audio, so a job that does not want them does not pay for them).

Each stem is as long as the job's audio and holds its speaker's turns where they sit in it,
silence elsewhere, so the stems line up at zero in any editor, and summed they give the job's
audio before mastering (the levelled turns; pauses are silence in every stem). They are FLAC,
16 bits as the mix is: silence costs FLAC next to nothing, so a stem takes about what its
speaker says. Every stem is encoded to its own temporary file as the turns are written (a
``TurnSink`` of the assembly), and zipped once the job is done: memory holds a turn, never a
track.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soundfile as sf

from ttsjobs.contracts.job_request import MultiRoleRequest

PREFIX = "ttsjobs-stems-"
CONTENT_TYPE = "application/zip"
EXTENSION = "stems.zip"
# A fixed date in every entry: the same stems make the same zip, byte for byte.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_SILENCE_BLOCK = 2**16
_NOT_IN_NAMES = re.compile(r'[/\\:*?"<>|]')


@dataclass(frozen=True)
class StemsZip:
    file: BinaryIO  # the zip, from its start
    size_bytes: int
    sha256: str


class _Stem:
    def __init__(self, rate: int, directory: Path | None) -> None:
        self.file = tempfile.TemporaryFile(dir=directory, prefix=PREFIX)
        self.frames = 0
        self._encoder: sf.SoundFile | None = sf.SoundFile(
            self.file.fileno(), "w", rate, 1, "PCM_16", format="FLAC", closefd=False
        )

    def write(self, samples: np.ndarray) -> None:
        assert self._encoder is not None
        self._encoder.write(samples)
        self.frames += len(samples)

    def silence_until(self, frame: int) -> None:
        while self.frames < frame:
            self.write(np.zeros(min(frame - self.frames, _SILENCE_BLOCK), dtype=np.float32))

    def finish(self) -> None:
        if self._encoder is not None:
            self._encoder.close()
            self._encoder = None
        self.file.seek(0)

    def close(self) -> None:
        try:
            self.finish()
        finally:
            self.file.close()


class StemWriter:
    """The assembly's sink (``assembly.TurnSink``) that writes each turn into its speaker's stem.

    ``turn_written`` and ``finished`` run on the assembly's writing thread; ``archive`` after
    the last turn, in a thread of the caller's; ``close`` whatever happened."""

    def __init__(self, speakers: list[str], *, directory: Path | None = None) -> None:
        self._speakers = speakers  # each turn's, in order
        self._directory = directory
        self._stems: dict[str, _Stem] = {}
        self._end = 0  # the mix's length in frames: the last turn ends it
        self._zip: BinaryIO | None = None

    @classmethod
    def of(cls, request: MultiRoleRequest, *, directory: Path | None = None) -> StemWriter | None:
        """The writer for a job that asks for stems, else None."""
        if not request.stems:
            return None
        return cls([turn.speaker for turn in request.turns], directory=directory)

    def turn_written(self, index: int, samples: np.ndarray, start_frame: int, rate: int) -> None:
        speaker = self._speakers[index]
        stem = self._stems.get(speaker)
        if stem is None:
            stem = self._stems[speaker] = _Stem(rate, self._directory)
        stem.silence_until(start_frame)
        stem.write(samples)
        self._end = start_frame + len(samples)

    def finished(self) -> None:
        """Nothing to do yet: padding and zipping wait for ``archive``, which runs off the
        event loop (a short WAV turn is written on the loop)."""

    def archive(self) -> StemsZip:
        """Every stem padded to the mix's length, zipped (stored: FLAC is compressed already),
        in the order the speakers first speak. Blocking: run it in a thread."""
        self._zip = tempfile.TemporaryFile(dir=self._directory, prefix=PREFIX)
        with zipfile.ZipFile(self._zip, "w", zipfile.ZIP_STORED) as archive:
            for number, (speaker, stem) in enumerate(self._stems.items(), 1):
                stem.silence_until(self._end)
                stem.finish()
                entry = zipfile.ZipInfo(stem_name(number, speaker), date_time=_ZIP_DATE)
                with archive.open(entry, "w") as member:
                    while block := stem.file.read(2**20):
                        member.write(block)
        self._zip.seek(0)
        digest = hashlib.file_digest(self._zip, "sha256")
        size = self._zip.tell()
        self._zip.seek(0)
        return StemsZip(self._zip, size, digest.hexdigest())

    def close(self) -> None:
        """Give the stems' and the zip's disk space back; safe to call more than once."""
        stems, self._stems = self._stems, {}
        for stem in stems.values():
            try:
                stem.close()
            except Exception:  # the file goes anyway; the encoder's complaint changes nothing
                pass
        if self._zip is not None:
            self._zip.close()
            self._zip = None


def stem_name(number: int, speaker: str) -> str:
    """``01-Alice.flac``: numbered in the order the speakers first speak, named after them with
    what no file name should hold (separators, controls) made ``_``."""
    cleaned = "".join(
        "_" if unicodedata.category(c).startswith(("C", "Z")) and c != " " else c
        for c in _NOT_IN_NAMES.sub("_", unicodedata.normalize("NFC", speaker))
    ).strip(" .")
    return f"{number:02d}-{cleaned or 'speaker'}.flac"
