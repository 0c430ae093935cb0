"""Benchmark: searching one user's history (GET /api/v1/jobs?q=) among 100,000 of their jobs.

    .venv/bin/python bench/search.py [--jobs 100000] [--others 100000] [--requests 200]

One real job (tone provider) is submitted and completed through the API; the table is then
filled straight in PostgreSQL (the benchmark may write it, the product never does) with copies
of that row: ``--jobs`` for the bench user and ``--others`` for a second user, each with its own
title and turn texts drawn from Chinese and English words, ``search_text`` and ``search_grams``
built the way the projection builds them, then VACUUM ANALYZE. Every query is then asked
``--requests`` times, one after another, through the gateway (first page, 20 jobs): p50 and p99
of the whole API call as the client sees it (auth, SQL, JSON). Target: p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import SUBMIT, machine_line, percentile, running_stack
from ttsjobs_cli.embedded.processes import wait_until

CHINESE = (
    "早安 會議 預算 專案 客戶 報告 週會 天氣 午餐 旅行 學校 醫院 銀行 電影 音樂 咖啡 火車 機場 "
    "設計 工程 合約 訂單 帳單 新聞 故事 廣告 晚安 生日 家庭 運動 健康 季度 目標 行程 面試 培訓"
).split()
ENGLISH = (
    "budget meeting standup review launch travel weather coffee train design contract order "
    "invoice story advert birthday family sports health quarter target interview training"
).split()

# (what it shows, q). Counts of matches are printed next to the timings.
QUERIES = [
    ("no `q`: the plain list, for scale", ""),
    ("1 Chinese char, common", "早"),
    ("1 Chinese char, in no job", "龘"),
    ("2 Chinese chars, common", "預算"),
    ("2 Chinese chars, in no job", "龘龘"),
    ("4 Chinese chars, two words never side by side", "會議報告"),
    ("4 Chinese chars, in no job", "沒有此詞"),
    ("Latin word, other case", "BUDGET"),
    ("one job's number (1 match)", "#077777"),
    ("Latin, in no job", "xylophone"),
    ("% taken literally", "100%"),
    # The other user's jobs are numbered #100001 to #200000: text that many of theirs hold.
    ("3 chars, in none of yours, in 10,000 of the other user's", "#15"),
    ("2 chars, in 1 of yours, in 99,999 of the other user's", "#1"),
]


async def fill(db_url: str, template_id: str, jobs: int, others: int) -> str:
    """Copies of the template row; returns the bench user's id."""
    conn = await asyncpg.connect(db_url)
    try:
        owner = await conn.fetchval("SELECT user_id FROM tts_jobs WHERE id = $1", template_id)
        other = uuid.uuid4()
        await conn.execute(
            "INSERT INTO users (id, name, created_at) VALUES ($1, 'other', now())", other
        )
        columns = [
            r["column_name"]
            for r in await conn.fetch(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'tts_jobs' AND table_schema = 'public' "
                "ORDER BY ordinal_position"
            )
        ]
        n, m = len(CHINESE), len(ENGLISH)
        # Words picked by g with different strides, so titles and texts vary from row to row.
        title = (
            f"(zh[1 + g % {n}] || zh[1 + (g * 7) % {n}] || ' ' || en[1 + (g * 5) % {m}]"
            " || ' #' || lpad(g::text, 6, '0'))"
        )
        first = (
            f"(zh[1 + (g * 3) % {n}] || '的' || zh[1 + (g * 11) % {n}] || '，' ||"
            f" en[1 + (g * 13) % {m}] || ' is ' || (g % 101)::text || '% done.')"
        )
        second = f"(zh[1 + (g * 17) % {n}] || zh[1 + (g * 19) % {n}] || '。')"
        chosen = {
            "id": "gen_random_uuid()",
            "user_id": "$2",
            "created_at": "created_at - g * interval '1 second'",
            "title": title,
            "input_json": (
                f"jsonb_set(jsonb_set(input_json, '{{title}}', to_jsonb({title})), '{{turns}}',"
                f" jsonb_build_array(jsonb_build_object('speaker', 'A', 'text', {first}),"
                f" jsonb_build_object('speaker', 'B', 'text', {second})))"
            ),
            "search_text": f"{title} || E'\\n' || {first} || E'\\n' || {second}",
            "audio_file_id": "NULL",  # audio_files.job_id is unique: the copies have none
        }
        select = ", ".join(chosen.get(c, c) for c in columns)
        # Built once at the end rather than row by row: the same indexes, in a fraction of the time.
        indexes = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tts_jobs'"
            " AND indexname IN ('idx_tts_jobs_user_search_trgm', 'idx_tts_jobs_user_search_grams')"
        )
        for index in indexes:
            await conn.execute(f"DROP INDEX {index['indexname']}")
        for user, count, offset in ((owner, jobs, 0), (other, others, jobs)):
            await conn.execute(
                f"INSERT INTO tts_jobs ({', '.join(columns)}) SELECT {select} FROM tts_jobs,"
                f" generate_series({offset + 1}, {offset + count}) AS g,"
                " (SELECT $3::text[] AS zh, $4::text[] AS en) AS words WHERE id = $1",
                template_id,
                user,
                CHINESE,
                ENGLISH,
            )
        # As migration 7 builds it (ttsjobs.readmodel.rows.search_grams for new rows).
        await conn.execute(
            """
            UPDATE tts_jobs SET search_grams = (
                SELECT array_agg(DISTINCT substr(lower(search_text), i, n))
                FROM generate_series(1, length(search_text)) AS i, (VALUES (1), (2)) AS v(n)
                WHERE i + n - 1 <= length(search_text))
            WHERE id <> $1
            """,
            template_id,
        )
        for index in indexes:
            await conn.execute(index["indexdef"])
        await conn.execute("VACUUM ANALYZE tts_jobs")
        return str(owner)
    finally:
        await conn.close()


async def matches(db_url: str, owner: str, q: str) -> int:
    from ttsjobs_gateway.reads.search import like_pattern

    conn = await asyncpg.connect(db_url)
    try:
        return await conn.fetchval(
            "SELECT count(*) FROM tts_jobs WHERE user_id = $1 AND search_text ILIKE $2",
            owner,
            like_pattern(q) if q else "%",
        )
    finally:
        await conn.close()


async def timings(base: str, headers: dict, q: str, requests: int) -> list[float]:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        seconds = []
        for _ in range(requests):
            t0 = time.perf_counter()
            params = {"q": q, "limit": 20} if q else {"limit": 20}
            response = await client.get("/api/v1/jobs", params=params)
            seconds.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.text
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    with running_stack({"TTSJOBS_PROVIDERS": '["tone"]'}) as running:
        job = httpx.post(
            f"{running.url}{SUBMIT}",
            headers=running.headers,
            json={
                "provider": "tone",
                "turns": [{"speaker": "A", "text": "One."}, {"speaker": "B", "text": "Two."}],
                "voice_assignments": {"A": {"voice": "mid"}, "B": {"voice": "high"}},
            },
        ).json()
        job_url = f"{running.url}/api/v1/jobs/{job['id']}"
        wait_until(
            lambda: httpx.get(job_url, headers=running.headers).json()["status"] == "completed",
            timeout_s=60,
            what="the job completed",
        )
        db_url = running.stack.env["TTSJOBS_DATABASE_URL"]
        t0 = time.perf_counter()
        owner = asyncio.run(fill(db_url, job["id"], args.jobs, args.others))
        print(f"filled {args.jobs} + {args.others} rows in {time.perf_counter() - t0:.0f} s")
        rows = []
        for what, q in QUERIES:
            asyncio.run(timings(running.url, running.headers, q, 10))  # warm the cache
            seconds = asyncio.run(timings(running.url, running.headers, q, args.requests))
            found = asyncio.run(matches(db_url, owner, q))
            p50, p99 = percentile(seconds, 50) * 1000, percentile(seconds, 99) * 1000
            rows.append((what, q, found, p50, p99))
            print(f"{what}: {found} matches, p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)

    print(f"\n{machine_line(1)}\n")
    print(f"| query | `q` | the user's matches of {args.jobs:,} | p50, ms | p99, ms | target |")
    print("| --- | --- | --- | --- | --- | --- |")
    for what, q, found, p50, p99 in rows:
        print(f"| {what} | `{q}` | {found:,} | {p50:.1f} | **{p99:.1f}** | p99 < 50 |")


if __name__ == "__main__":
    main()
