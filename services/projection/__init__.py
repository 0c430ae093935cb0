"""Projection service: consumes every job event and maintains the PostgreSQL tables the gateway
reads (tts_jobs, audio_files, users). It is the only writer of those tables."""
