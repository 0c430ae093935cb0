"""The read model's schema, created and migrated when the projection starts.

tts_jobs follows the seed's table (input_json, result_json, audio_file_id, error_message and the
timestamps), plus progress, the cancelled status and the position of the last applied event.
Migrations run in order, once each, under an advisory lock so two projections never race.
"""

from __future__ import annotations

from ttsjobs_projection.repository import DbConnection

_LOCK_KEY = 7_210_455_301

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE users (
            id          UUID PRIMARY KEY,
            name        TEXT NOT NULL,
            created_at  TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE audio_files (
            id            UUID PRIMARY KEY,
            job_id        UUID NOT NULL UNIQUE,
            bucket        TEXT NOT NULL,
            object_key    TEXT NOT NULL,
            content_type  TEXT NOT NULL,
            format        TEXT NOT NULL,
            size_bytes    BIGINT NOT NULL,
            duration_ms   INTEGER NOT NULL,
            sample_rate   INTEGER NOT NULL,
            created_at    TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE tts_jobs (
            id                   UUID PRIMARY KEY,
            user_id              UUID NOT NULL REFERENCES users(id),
            status               VARCHAR(20) NOT NULL CHECK (status IN
                                   ('pending', 'processing', 'completed', 'failed', 'cancelled')),
            job_type             VARCHAR(50) NOT NULL,
            provider             VARCHAR(50) NOT NULL,
            title                TEXT,
            input_json           JSONB NOT NULL,
            audio_file_id        UUID REFERENCES audio_files(id),
            result_json          JSONB,
            error_message        TEXT,
            progress_done        INTEGER NOT NULL DEFAULT 0,
            progress_total       INTEGER NOT NULL,
            cancel_requested_at  TIMESTAMPTZ,
            created_at           TIMESTAMPTZ NOT NULL,
            started_at           TIMESTAMPTZ,
            completed_at         TIMESTAMPTZ,
            updated_at           TIMESTAMPTZ NOT NULL,
            last_event_seq       BIGINT NOT NULL,
            last_event_id        TEXT NOT NULL
        );
        -- Listing is newest first per user, paged by (created_at, id); with or without status.
        CREATE INDEX idx_tts_jobs_user_created ON tts_jobs (user_id, created_at DESC, id DESC);
        CREATE INDEX idx_tts_jobs_user_status_created
            ON tts_jobs (user_id, status, created_at DESC, id DESC);
        CREATE TABLE projection_positions (
            consumer     TEXT PRIMARY KEY,
            stream_seq   BIGINT NOT NULL,
            applied_at   TIMESTAMPTZ NOT NULL
        );
        """,
    ),
    (2, "ALTER TABLE tts_jobs ADD COLUMN progress_eta_ms INTEGER"),
    (
        3,
        """
        -- API keys, stored only as the SHA-256 of the key; the gateway looks them up by key_id.
        CREATE TABLE api_keys (
            key_id      TEXT PRIMARY KEY,
            user_id     UUID NOT NULL REFERENCES users(id),
            key_sha256  TEXT NOT NULL,
            label       TEXT NOT NULL DEFAULT '',
            created_at  TIMESTAMPTZ NOT NULL,
            revoked_at  TIMESTAMPTZ
        );
        CREATE INDEX idx_api_keys_user ON api_keys (user_id);
        """,
    ),
    # Every attempt to POST a job's final event to its callback_url.
    (4, "ALTER TABLE tts_jobs ADD COLUMN callbacks_json JSONB NOT NULL DEFAULT '[]'"),
    # Set when an event of the job could not be stored (dead-lettered): the API then answers
    # the job from its events.
    (5, "ALTER TABLE tts_jobs ADD COLUMN read_model_error TEXT"),
    (
        6,
        """
        -- GET /api/v1/jobs?q=: the title and every turn's text, matched with ILIKE '%q%'.
        -- Trigrams, not words: Chinese titles have no spaces to split words at. pg_trgm is a
        -- trusted extension (PostgreSQL 13+), so the projection's role may create it. In
        -- public, named in full: a rebuild migrates a schema of its own that it later drops.
        CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
        ALTER TABLE tts_jobs ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
        -- The rows there already, as ttsjobs.readmodel.rows.search_text builds it.
        UPDATE tts_jobs SET search_text = concat_ws(E'\\n', coalesce(title, ''), (
            SELECT string_agg(turn->>'text', E'\\n' ORDER BY n)
            FROM jsonb_array_elements(input_json->'turns') WITH ORDINALITY AS t(turn, n)));
        CREATE INDEX idx_tts_jobs_search_trgm
            ON tts_jobs USING gin (search_text public.gin_trgm_ops);
        """,
    ),
    (
        7,
        """
        -- One- and two-character queries have no trigram: without this, they read every row of
        -- the user's (seconds for 100,000 jobs when nothing matches). Every distinct 1- and
        -- 2-character piece of lower(search_text), as ttsjobs.readmodel.rows.search_grams
        -- builds it.
        ALTER TABLE tts_jobs ADD COLUMN search_grams TEXT[] NOT NULL DEFAULT '{}';
        UPDATE tts_jobs SET search_grams = coalesce((
            SELECT array_agg(DISTINCT substr(lower(search_text), i, n) ORDER BY
                   substr(lower(search_text), i, n))
            FROM generate_series(1, length(search_text)) AS i, (VALUES (1), (2)) AS v(n)
            WHERE i + n - 1 <= length(search_text)), '{}');
        CREATE INDEX idx_tts_jobs_search_grams ON tts_jobs USING gin (search_grams);
        """,
    ),
    # job_type was stored from the start (multi_role_tts, now single_tts too); the list
    # filters on it, newest first, like the status filter.
    (
        8,
        "CREATE INDEX idx_tts_jobs_user_type_created"
        " ON tts_jobs (user_id, job_type, created_at DESC, id DESC)",
    ),
    (
        9,
        """
        -- A search reads only the caller's rows: the trigram and gram indexes lead with
        -- user_id, so the matches in other users' jobs are never visited (with the indexes of
        -- 6 and 7, a word that 10,000 of another user's jobs hold and none of yours took 0.3 s
        -- among 100,000 of your jobs). btree_gin gives GIN its uuid equality; like pg_trgm it
        -- is a trusted extension, and in public for the same reason.
        CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;
        CREATE INDEX idx_tts_jobs_user_search_trgm
            ON tts_jobs USING gin (user_id, search_text public.gin_trgm_ops);
        CREATE INDEX idx_tts_jobs_user_search_grams ON tts_jobs USING gin (user_id, search_grams);
        DROP INDEX idx_tts_jobs_search_trgm;
        DROP INDEX idx_tts_jobs_search_grams;
        """,
    ),
    (
        10,
        """
        -- The janitor asks whether a job within retention still refers to an audio object
        -- (jobs of one user and day share identical audio).
        CREATE INDEX idx_audio_files_object_key ON audio_files (object_key);
        """,
    ),
    # JobCreated's warnings (speakers casting gave one voice); a job's events before them
    # have none, so a rebuild gives the rows that are here.
    (11, "ALTER TABLE tts_jobs ADD COLUMN warnings_json JSONB NOT NULL DEFAULT '[]'"),
    # GET /api/v1/jobs?id_prefix=a0c5: a range of ids (a0c50000-… to a0c5ffff-…) within the
    # caller's rows, which a short id typed at the CLI names.
    (12, "CREATE INDEX idx_tts_jobs_user_id ON tts_jobs (user_id, id)"),
]


async def migrate(conn: DbConnection) -> list[int]:
    """Apply what is missing; returns the versions applied now."""
    applied_now: list[int] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
        for version, sql in MIGRATIONS:
            if version in done:
                continue
            await conn.execute(sql)
            await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", version)
            applied_now.append(version)
    return applied_now
