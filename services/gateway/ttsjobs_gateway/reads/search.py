"""A search of the caller's jobs by their text: ILIKE on the projection's search_text, narrowed
by pg_trgm's index or, for one or two characters, by search_grams (see ``search_page``)."""

from __future__ import annotations

import asyncpg

from ttsjobs.readmodel.rows import COLUMNS, SHORT_QUERY
from ttsjobs_gateway.reads.tables import NEWEST_FIRST, SELECT_JOBS


def like_pattern(q: str) -> str:
    """``q`` as an ILIKE pattern that matches it anywhere, taken literally: % _ and \\ escaped."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Shorter than a trigram, a pattern gives pg_trgm nothing to look up: its GIN index would be
# read whole. Such a query looks its one or two characters up in search_grams instead.
TRIGRAM = 3


# How many of the user's newest rows a search reads before it turns to an index.
SEARCH_WALK = 1000


async def search_page(
    pool: asyncpg.Pool, where: list[str], args: list[object], q: str, limit: int
) -> list[asyncpg.Record]:
    """A search in two steps, each of which reads only the caller's rows:

    1. The user's newest SEARCH_WALK rows (their own index, newest first), filtered: a query
       that many jobs match fills the page from there, in a few milliseconds.
    2. If that did not fill it: every row of the user's that the search indexes allow, which
       lead with user_id, filtered, then the newest of them. A MATERIALIZED CTE keeps the
       planner from walking the user's rows newest first instead: it estimates the matches
       from the whole table, so for text that only other users' jobs hold it would expect
       many and walk all of this user's rows (0.3–0.6 s for 100,000 jobs), finding none.

    q of three characters or more is looked up by trigrams (pg_trgm); shorter, in
    search_grams, every 1- and 2-character piece, with the ILIKE on an expression,
    ``search_text || ''``, so that the trigram index (which such a pattern would read whole)
    is kept out. ILIKE decides in both steps: the indexes only narrow.
    """
    pattern, n = like_pattern(q), len(args)
    conditions = " AND ".join(where)
    rows = await pool.fetch(
        f"SELECT {', '.join(COLUMNS)} FROM (SELECT {', '.join(COLUMNS)}, search_text"
        f" FROM tts_jobs WHERE {conditions} {NEWEST_FIRST} LIMIT {SEARCH_WALK}) AS newest"
        f" WHERE search_text ILIKE ${n + 1} {NEWEST_FIRST} LIMIT ${n + 2}",
        *args,
        pattern,
        limit + 1,
    )
    if len(rows) > limit:
        return rows
    if len(q) >= TRIGRAM or len(q.lower()) > SHORT_QUERY:
        match, extra = f"search_text ILIKE ${n + 1}", []
    else:
        match = f"search_grams @> ${n + 3}::text[] AND (search_text || '') ILIKE ${n + 1}"
        extra = [[q.lower()]]
    return await pool.fetch(
        f"WITH hits AS MATERIALIZED (SELECT id, created_at FROM tts_jobs"
        f" WHERE {conditions} AND {match})"
        f" {SELECT_JOBS} WHERE id IN (SELECT id FROM hits {NEWEST_FIRST} LIMIT ${n + 2})"
        f" {NEWEST_FIRST}",
        *args,
        pattern,
        limit + 1,
        *extra,
    )
