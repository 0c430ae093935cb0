"""Gateway service: REST for clients. Publishes JobCreated and JobCancelled, reads the
projection's tables (never writes them), streams audio from object storage."""
