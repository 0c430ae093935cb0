"""The baseline's API: a FastAPI endpoint that inserts the job's row and enqueues the Celery
task, and a GET that reads the row. Requests are validated with the same model as ttsjobs."""

from __future__ import annotations

import json
import os
import uuid
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, HTTPException

from bench.celery_baseline.tasks import synthesize
from ttsjobs.contracts.job_request import MultiRoleRequest

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id uuid PRIMARY KEY,
    status text NOT NULL,
    request jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    completed_at timestamptz,
    audio_key text,
    audio_bytes bigint
)
"""


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(os.environ["BASELINE_DATABASE_URL"], max_size=10)
    await app.state.pool.execute(SCHEMA)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.post("/jobs", status_code=202)
async def submit(request: MultiRoleRequest) -> dict:
    job_id = str(uuid.uuid4())
    body = request.model_dump(mode="json")
    await app.state.pool.execute(
        "INSERT INTO jobs (id, status, request) VALUES ($1, 'pending', $2::jsonb)",
        job_id,
        json.dumps(body),
    )
    synthesize.delay(job_id, body)
    return {"id": job_id, "status": "pending"}


@app.get("/jobs/{job_id}")
async def get_job(job_id: uuid.UUID) -> dict:
    row = await app.state.pool.fetchrow(
        "SELECT id, status, created_at, started_at, completed_at, audio_key, audio_bytes "
        "FROM jobs WHERE id = $1",
        job_id,
    )
    if row is None:
        raise HTTPException(404, "no such job")
    return {k: (str(v) if v is not None and k != "audio_bytes" else v) for k, v in row.items()}
