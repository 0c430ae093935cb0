"""Gateway service: REST, WebSocket feeds and the web app for clients. Publishes JobCreated,
JobCancelRequested, JobCancelled and JobRenamed, reads the projection's tables (never writes
them), streams audio from object storage."""
