"""A job's audio file on its way to the bucket: encoded block by block as the turns arrive, into
a temporary file on disk (a WAV under a megabyte stays in memory), then hashed and uploaded from
there. However long the job, memory holds a block, never the whole audio.

The file has no name (``tempfile.TemporaryFile``: O_TMPFILE, or unlinked as soon as created), so
the disk space is given back when it is closed, on every path, and also when the process dies.
Only where the file system has no O_TMPFILE can a crash between creating and unlinking leave a
named file; ``prepare`` clears those at start-up.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
import wave
from pathlib import Path
from typing import BinaryIO, cast

import av
import numpy as np
import soundfile as sf
from av.audio.stream import AudioStream
from av.container import OutputContainer

from ttsjobs.contracts.job_request import OutputFormat

_SOUNDFILE_FORMATS: dict[OutputFormat, tuple[str, str]] = {
    OutputFormat.flac: ("FLAC", "PCM_16"),
    OutputFormat.mp3: ("MP3", "MPEG_LAYER_III"),
    OutputFormat.ogg: ("OGG", "VORBIS"),
    OutputFormat.opus: ("OGG", "OPUS"),
}
# A bitrate, and M4A, need ffmpeg's encoders (the av wheel's): libsndfile has neither. Without
# a bitrate, MP3 and Opus stay with libsndfile, so that such a job's file is as it always was.
_AV_FORMATS: dict[OutputFormat, tuple[str, str]] = {
    OutputFormat.mp3: ("mp3", "libmp3lame"),
    OutputFormat.opus: ("ogg", "libopus"),
    OutputFormat.m4a: ("ipod", "aac"),  # ffmpeg's muxer for .m4a (brand M4A)
}
_READ_BLOCK = 2**20
IN_MEMORY_BYTES = 2**20  # about 10 s of 48 kHz WAV
PREFIX = "ttsjobs-audio-"
# A named spool file lives for microseconds; one this old was left by a process that died.
_STALE_S = 60.0


class AudioSpool:
    """Float samples in (mono, at ``rate``), the encoded file out. Not thread-safe: one
    writer at a time, which the job's assembly guarantees."""

    def __init__(
        self,
        fmt: OutputFormat,
        rate: int,
        *,
        directory: Path | None = None,
        bitrate_kbps: int | None = None,
    ) -> None:
        self.format = fmt
        self.rate = rate
        self._file = _spool_file(fmt, directory)
        self._wav: wave.Wave_write | None = None
        self._encoder: sf.SoundFile | None = None
        self._av: _AvEncoder | None = None
        try:
            if fmt is OutputFormat.wav:
                self._wav = _wav_writer(self._file, rate)
            elif fmt is OutputFormat.m4a or bitrate_kbps is not None:
                self._av = _AvEncoder(self._file, fmt, rate, bitrate_kbps)
            else:
                container, subtype = _SOUNDFILE_FORMATS[fmt]
                # Through the descriptor libsndfile writes natively; a Python file object would
                # call back into Python for every buffer it writes.
                self._encoder = sf.SoundFile(
                    self._file.fileno(), "w", rate, 1, subtype, format=container, closefd=False
                )
        except BaseException:
            self._file.close()
            raise

    def write(self, samples: np.ndarray) -> None:
        if self._wav is not None:
            # As libsndfile would, but a few times faster: rounded and clipped to 16 bits.
            pcm = np.clip(np.rint(samples * 32767.0), -32768, 32767).astype("<i2")
            self._wav.writeframes(pcm.tobytes())
        elif self._encoder is not None:
            self._encoder.write(samples)
        elif self._av is not None:
            self._av.write(samples)
        else:
            raise ValueError("the spool is finished")

    def write_silence(self, frames: int) -> None:
        """``frames`` zeros, a second at a time: a long pause costs no more memory."""
        while frames > 0:
            block = min(frames, self.rate)
            self.write(np.zeros(block, dtype=np.float32))
            frames -= block

    def finish(self) -> tuple[int, str]:
        """Complete the file (headers, the encoder's last frames); its size and SHA-256."""
        if self._wav is not None:
            self._wav.close()  # patches the RIFF and data lengths in the header
            self._wav = None
        if self._encoder is not None:
            self._encoder.close()
            self._encoder = None
        if self._av is not None:
            self._av.close()
            self._av = None
        self._file.flush()
        self._file.seek(0)
        digest = hashlib.sha256()
        size = 0
        while block := self._file.read(_READ_BLOCK):
            digest.update(block)
            size += len(block)
        self._file.seek(0)
        return size, digest.hexdigest()

    def reader(self) -> BinaryIO:
        """The finished file, from its start."""
        self._file.seek(0)
        return self._file

    def close(self) -> None:
        """Drop the file; safe to call more than once, and before ``finish``."""
        for encoder in (self._wav, self._encoder, self._av):
            try:
                if encoder is not None:
                    encoder.close()
            except Exception:  # the file goes anyway; an encoder's complaint changes nothing
                pass
        self._wav = self._encoder = self._av = None
        self._file.close()


class _AvEncoder:
    """An ffmpeg encoder and muxer (PyAV) writing into the spool file."""

    def __init__(self, file: BinaryIO, fmt: OutputFormat, rate: int, kbps: int | None) -> None:
        container_format, codec = _AV_FORMATS[fmt]
        self._rate = rate
        self._container: OutputContainer = av.open(file, "w", format=container_format)
        try:
            stream = self._container.add_stream(codec, rate=rate, layout="mono")
            assert isinstance(stream, AudioStream)
            if kbps is not None:
                stream.bit_rate = kbps * 1000
        except BaseException:
            self._container.close()
            raise
        self._stream = stream

    def write(self, samples: np.ndarray) -> None:
        if not len(samples):
            return
        block = np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(block, format="flt", layout="mono")
        frame.sample_rate = self._rate
        # The codec's frame size is PyAV's concern: it buffers and cuts the samples to it.
        self._container.mux(self._stream.encode(frame))

    def close(self) -> None:
        """The encoder's last frames and the container's trailer (an MP4's index)."""
        try:
            self._container.mux(self._stream.encode(None))
        finally:
            self._container.close()


def _spool_file(fmt: OutputFormat, directory: Path | None) -> BinaryIO:
    if fmt is OutputFormat.wav:
        # A short job's WAV stays in memory (a file costs more than its audio takes to make);
        # past IN_MEMORY_BYTES it moves to a file on disk.
        folder = None if directory is None else str(directory)
        spooled = tempfile.SpooledTemporaryFile(IN_MEMORY_BYTES, dir=folder, prefix=PREFIX)
        return cast(BinaryIO, spooled)
    return tempfile.TemporaryFile(dir=directory, prefix=PREFIX)


def _wav_writer(file: BinaryIO, rate: int) -> wave.Wave_write:
    out = wave.open(file, "wb")
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(rate)
    return out


def prepare(directory: Path | None = None) -> int:
    """Make ``directory`` (default: the temp dir) ready for spool files, and remove those a
    crashed process left there; how many. Other processes' files are younger than a minute,
    and kept."""
    folder = Path(directory or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    removed = 0
    for path in folder.glob(f"{PREFIX}*"):
        try:
            if time.time() - path.stat().st_mtime > _STALE_S:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # its process took it meanwhile
    return removed
