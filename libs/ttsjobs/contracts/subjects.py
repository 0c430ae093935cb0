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


# Users and API keys: ``ttsjobs.account.<user_id>.<kind>``, in a stream of their own that keeps
# them for as long as the system runs (job events age out; accounts must not).
ACCOUNTS_STREAM = "TTSJOBS_ACCOUNTS"
ACCOUNT_PREFIX = "ttsjobs.account"
ALL_ACCOUNT_EVENTS = f"{ACCOUNT_PREFIX}.*.*"


def account_event(user_id: str, kind: str) -> str:
    return f"{ACCOUNT_PREFIX}.{user_id}.{kind}"


def every_account(kind: str) -> str:
    return f"{ACCOUNT_PREFIX}.*.{kind}"
