"""Synthesis service: consumes JobCreated, synthesizes each turn, stores one audio file in S3,
and emits JobStarted, JobProgressed, then JobCompleted, JobFailed or JobCancelled."""
