"""Projection service: consumes every job and account event and maintains the PostgreSQL tables
the gateway reads (tts_jobs, audio_files, users, api_keys). It is the only writer of those
tables; its janitor expires old jobs (JobExpired), and it can rebuild the tables from the
streams."""
