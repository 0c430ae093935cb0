"""Every column the read model writes and reads is made by a migration: a new field of the job,
stored through readmodel/rows.py, fails here (and not first in the integration tests, against a
real table) when its migration is missing."""

from __future__ import annotations

import re

from ttsjobs.readmodel.rows import WRITE_COLUMNS
from ttsjobs_projection.schema import MIGRATIONS

SQL = "\n".join(sql for _, sql in MIGRATIONS)


def _made(column: str, sql: str = SQL) -> bool:
    return (
        re.search(
            rf"(CREATE TABLE tts_jobs\s*\(|ADD COLUMN( IF NOT EXISTS)?)[^;]*\b{column}\b", sql
        )
        is not None
    )


def test_every_column_written_is_made_by_a_migration():
    missing = [column for column in WRITE_COLUMNS if not _made(column)]
    assert not missing, f"no migration in ttsjobs_projection/schema.py makes {missing}"


def test_a_column_no_migration_makes_is_found():
    assert not _made("pinned")
    assert _made("pinned", SQL + "\nALTER TABLE tts_jobs ADD COLUMN pinned BOOLEAN NOT NULL;")
