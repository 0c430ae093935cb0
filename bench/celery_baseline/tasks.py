"""The seed's Option A, as a team would build it: a Celery task on Redis that marks the job's
row started, synthesizes the turns, writes the audio to S3 and marks the row completed.

Configured the reliable way (acks_late, reject_on_worker_lost), so that a killed worker's job is
run again, as ttsjobs does; otherwise Celery's defaults. Settings come from BASELINE_* variables.
"""

from __future__ import annotations

import io
import os

import numpy as np
import psycopg
import soundfile
from celery import Celery
from minio import Minio

from ttsjobs_synthesis.providers.tone import SAMPLE_RATE, ToneProvider

app = Celery("baseline", broker=os.environ.get("BASELINE_REDIS_URL", "redis://127.0.0.1:6379/0"))
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
)

BUCKET = "celery-audio"
PAUSE_MS = 300
_tone = ToneProvider()
_db: psycopg.Connection | None = None
_s3: Minio | None = None


def _connections() -> tuple[psycopg.Connection, Minio]:
    global _db, _s3
    if _db is None or _db.closed:
        _db = psycopg.connect(os.environ["BASELINE_DATABASE_URL"], autocommit=True)
    if _s3 is None:
        _s3 = Minio(
            os.environ["BASELINE_S3_ENDPOINT"],
            access_key=os.environ["BASELINE_S3_ACCESS_KEY"],
            secret_key=os.environ["BASELINE_S3_SECRET_KEY"],
            secure=False,
        )
    return _db, _s3


@app.task(name="synthesize")
def synthesize(job_id: str, body: dict) -> None:
    db, s3 = _connections()
    db.execute("UPDATE jobs SET status = 'processing', started_at = now() WHERE id = %s", (job_id,))
    voices = body["voice_assignments"]
    pieces = []
    for turn in body["turns"]:
        voice = voices[turn["speaker"]]
        speech = _tone.synthesize(turn["text"], voice["voice"], speed=voice.get("speed", 1.0))
        pieces += [speech.samples, np.zeros(speech.sample_rate * PAUSE_MS // 1000, np.int16)]
    audio = io.BytesIO()
    soundfile.write(audio, np.concatenate(pieces[:-1]), SAMPLE_RATE, format="WAV")
    size = audio.tell()
    audio.seek(0)
    key = f"jobs/{job_id}/audio.wav"
    s3.put_object(BUCKET, key, audio, size, content_type="audio/wav")
    db.execute(
        "UPDATE jobs SET status = 'completed', completed_at = now(), audio_key = %s, "
        "audio_bytes = %s WHERE id = %s",
        (key, size, job_id),
    )
