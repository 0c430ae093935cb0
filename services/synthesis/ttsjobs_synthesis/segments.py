"""The segment cache: each turn's raw engine output, stored in the bucket under a key derived
from everything that shapes it and from whose it is. An unchanged turn is never synthesized
twice, an edited dialogue pays only for the turns that changed, and a job redelivered after a
crash resumes from the turns already done.

The cache is its owner's alone: another user's identical sentence is synthesized afresh and
stored apart, so neither a hit nor its timing tells anyone what someone else has had spoken.
Each user's segments live under their folder (``user_folder``), beside their audio.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import astuple, dataclass
from typing import Any, Protocol

import soundfile as sf

from ttsjobs.storage import user_folder
from ttsjobs_synthesis.providers.base import Speech, TimedSpan, Timing

# Bump when the stored form of a segment changes, or what the prepare-text stage makes of the
# same text and pronunciation (2: Taiwan readings, normalisers, lexicons; 3: word timing).
FORMAT_VERSION = 3
# Every user's segments, each under the user's folder; the janitor expires them by age.
SEGMENTS_PREFIX = "segments/"


class ObjectStore(Protocol):
    async def exists(self, key: str) -> bool: ...

    async def get_with_metadata(self, key: str) -> tuple[bytes, dict[str, str]] | None: ...

    async def put(
        self, key: str, data: bytes, content_type: str, *, metadata: dict[str, str] | None = None
    ) -> None: ...


@dataclass(frozen=True)
class SegmentIdentity:
    """Everything a cached segment is keyed by, defined here once. A stage that changes what
    is synthesized (lexicon effects, blends) adds its field, and the key follows."""

    owner: str  # the user whose job made it; nobody else's job reads it
    provider: str
    voice: str
    speed: float
    pitch: float
    sample_rate: int
    text: str  # as synthesized (normalised), not as sent
    pronunciation: str = ""  # Pronunciation.identity(): reading standard, entries that apply
    pieces: int = 1  # said in this many engine calls (opening_turn.py): another sound

    @property
    def key(self) -> str:
        # Settings that differ past the fourth decimal sound the same: one segment.
        fields = [round(v, 4) if isinstance(v, float) else v for v in astuple(self)]
        if self.pieces == 1:
            fields.pop()  # a turn said whole keeps the key it always had
        identity = [FORMAT_VERSION, *fields]
        digest = hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()
        folder = user_folder(self.owner)
        return f"{SEGMENTS_PREFIX}{folder}/{self.provider}/{digest[:2]}/{digest}.flac"


def segment_key(
    *,
    owner: str,
    provider: str,
    voice: str,
    speed: float,
    pitch: float,
    text: str,
    sample_rate: int,
    pronunciation: str = "",
    pieces: int = 1,
) -> str:
    """The object key of the segment these make (``SegmentIdentity.key``)."""
    return SegmentIdentity(
        owner, provider, voice, speed, pitch, sample_rate, text, pronunciation, pieces
    ).key


def encode_segment(speech: Speech) -> tuple[bytes, dict[str, str]]:
    """FLAC (lossless, about half the size of WAV) and the loudness as object metadata. The
    timing rides in the FLAC itself, as a Vorbis comment: object metadata holds 2 KB, and a
    long turn's character times are tens of kilobytes."""
    buffer = io.BytesIO()
    sf.write(buffer, speech.samples, speech.sample_rate, format="FLAC", subtype="PCM_16")
    if speech.timing is not None:
        _tag_timing(buffer, speech.timing)
    metadata = {} if speech.loudness_lufs is None else {"lufs": f"{speech.loudness_lufs:.3f}"}
    return buffer.getvalue(), metadata


def decode_segment(data: bytes, metadata: dict[str, str]) -> Speech:
    samples, rate = sf.read(io.BytesIO(data), dtype="int16")
    lufs = metadata.get("lufs")
    return Speech(
        samples, rate, loudness_lufs=float(lufs) if lufs else None, timing=_tagged_timing(data)
    )


_TIMING_TAG = "TTSJOBS_TIMING"


def _tag_timing(flac: io.BytesIO, timing: Timing) -> None:
    from mutagen.flac import FLAC

    def rows(spans: tuple[TimedSpan, ...]) -> list[list[object]]:
        return [[s.start_ms, s.end_ms, s.char_start, s.char_end, s.text] for s in spans]

    flac.seek(0)
    tags = FLAC(flac)
    tags[_TIMING_TAG] = json.dumps(
        {"words": rows(timing.words), "characters": rows(timing.characters)},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    flac.seek(0)
    tags.save(flac)


def _tagged_timing(data: bytes) -> Timing | None:
    from mutagen.flac import FLAC

    found = FLAC(io.BytesIO(data)).get(_TIMING_TAG)
    if not found:
        return None
    stored = json.loads(found[0])

    def spans(rows: list[list[Any]]) -> tuple[TimedSpan, ...]:
        return tuple(TimedSpan(text, start, end, cs, ce) for start, end, cs, ce, text in rows)

    return Timing(words=spans(stored["words"]), characters=spans(stored["characters"]))
