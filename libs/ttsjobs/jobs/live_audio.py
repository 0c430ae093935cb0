"""Where a running job's finished beginning is kept, to be heard before the job ends: MP3
segments of each written turn (a long turn cut in several, none longer than
``TARGET_DURATION_S``) and a small manifest of their lengths, beside the job's audio.

Synthesis writes them (ttsjobs_synthesis.live_segments); the gateway reads them into a growing
HLS playlist (``GET /api/v1/jobs/{id}/live.m3u8``). The segments are one continuous MP3 stream cut
at frame boundaries, so played one after another they are gapless. Keys sit in the day's folder
of the user's audio (``audio_key``), so the janitor's removal of a day's folder takes them too;
the projection removes a job's folder when the job fails, is cancelled or is deleted.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ttsjobs.storage import day_folder, job_name

CONTENT_TYPE = "audio/mpeg"
EXTENSION = "mp3"
# The longest a segment may be, declared by the playlist from its first version on: RFC 8216
# forbids EXT-X-TARGETDURATION to change, and a turn's length is known only once it is written.
# Six seconds is what Apple's HLS authoring guide recommends.
TARGET_DURATION_S = 6


class LiveManifest(BaseModel):
    """What of a job's live audio is in the bucket: segment ``i`` holds ``frames[i]`` samples at
    ``rate`` (as a decoder plays them, at most ``TARGET_DURATION_S``), and every segment listed
    is there. ``complete``: the job's
    last turn is among them."""

    rate: int = Field(gt=0)
    frames: list[int] = Field(default_factory=list)
    complete: bool = False

    def seconds(self, index: int) -> float:
        return self.frames[index] / self.rate


def live_folder(user_id: str, created: datetime, job_id: str) -> str:
    """The job's folder of live segments, in its day and user folder; named by the job."""
    return f"{day_folder(user_id, created)}live/{job_name(job_id)}/"


def segment_key(folder: str, index: int) -> str:
    return f"{folder}{index:05d}.{EXTENSION}"


def manifest_key(folder: str) -> str:
    return f"{folder}manifest.json"
