"""Subject names of the job event stream.

Every event of one job lives under ``ttsjobs.job.<job_id>.<kind>``, so a job's whole history is
the filter ``ttsjobs.job.<job_id>.*`` and a consumer picks kinds with ``ttsjobs.job.*.<kind>``.
"""

from __future__ import annotations

STREAM = "TTSJOBS"
PREFIX = "ttsjobs.job"
ALL_JOB_EVENTS = f"{PREFIX}.*.*"


def job_event(job_id: str, kind: str) -> str:
    return f"{PREFIX}.{job_id}.{kind}"


def job_history(job_id: str) -> str:
    return f"{PREFIX}.{job_id}.*"


def every_job(kind: str) -> str:
    return f"{PREFIX}.*.{kind}"
