"""SQL of the rebuild's bulk write: finished job states into empty tables with ``COPY``.

The same rows as ``repository`` writes (``row_from_state``, the same audio_files row), for a
schema that nothing else writes yet, so there is nothing to upsert against: a row per job,
streamed in binary, instead of a statement per row.
"""

from __future__ import annotations

from ttsjobs.jobs.state import JobState
from ttsjobs.readmodel.rows import WRITE_COLUMNS, row_from_state
from ttsjobs_projection.repository import AUDIO_FILE_COLUMNS, DbConnection, audio_file_row


async def copy_jobs(conn: DbConnection, states: list[JobState]) -> None:
    """Insert the jobs and their audio files (tts_jobs refers to audio_files)."""
    audio = [audio_file_row(s) for s in states if s.result is not None]
    if audio:
        await conn.copy_records_to_table("audio_files", records=audio, columns=AUDIO_FILE_COLUMNS)
    if states:
        await conn.copy_records_to_table(
            "tts_jobs", records=[row_from_state(s) for s in states], columns=WRITE_COLUMNS
        )
