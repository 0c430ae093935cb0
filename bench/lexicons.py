"""What users' lexicons cost the gateway, in the largest shapes the caps allow.

    .venv/bin/python bench/lexicons.py [--runs 5]

On a nats-server of its own (the embedded one): PUT's work for a lexicon of 256 KB (PLS and
JSON parsed, stored), the list of 20 such lexicons, and a submit's snapshot (the KV reads,
the lexicons built, used_entries over a 20,000-character dialogue) with one small lexicon and
with 20 full ones. Wall time, best of ``--runs``: the least disturbed by neighbours on a shared
machine. All of it runs off the event loop in the gateway (offload.sized) but for a small one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nats

from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.lexicon import LEXICON_MAX_BYTES, Lexicon, LexiconEntry
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs.lexicons.json_form import parse_json
from ttsjobs.lexicons.pls import export_pls, parse_pls
from ttsjobs_cli.embedded.servers import start_nats
from ttsjobs_gateway.lexicon_snapshot import with_snapshot
from ttsjobs_gateway.lexicon_store import LexiconStore

ESPEAK = ProviderCatalogue(
    provider="espeak",
    description="",
    voices=[VoiceInfo(id="en-us", name="en-us", language="en-US", sample_rate=22050)],
)


def full_lexicon(tag: str) -> Lexicon:
    """As many alias entries as fit a PLS document of LEXICON_MAX_BYTES."""
    entries = [LexiconEntry(grapheme=f"{tag}w{i:05d}", alias=f"word {i}") for i in range(4000)]
    while len(export_pls(Lexicon(language="en", entries=entries))) > LEXICON_MAX_BYTES:
        entries = entries[:-50]
    return Lexicon(language="en", entries=entries)


def dialogue(lexicons: list[str]) -> MultiRoleRequest:
    line = "We met at the 3w00042 office and talked about 7w00100 for a while. "
    turns = [{"speaker": "A", "text": line * 29} for _ in range(10)]  # 20,000 characters
    return MultiRoleRequest.model_validate(
        {"provider": "espeak", "turns": turns, "lexicons": lexicons,
         "voice_assignments": {"A": {"voice": "en-us"}}}
    )  # fmt: skip


async def best(what: str, runs: int, work: Callable[[], Awaitable[object]]) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await work()
        times.append(time.perf_counter() - start)
    print(f"{what:58} {min(times) * 1000:8.1f} ms")


async def main(runs: int) -> None:
    lexicons = [full_lexicon(str(k)) for k in range(20)]
    pls = export_pls(lexicons[0])
    as_json = json.dumps(lexicons[0].model_dump(mode="json", exclude_none=True)).encode()
    print(f"a full lexicon: {len(lexicons[0].entries)} entries, {len(pls)} B of PLS")
    with tempfile.TemporaryDirectory() as folder:
        server = start_nats(Path(folder))
        try:
            nc = await nats.connect(server.url)
            store = LexiconStore(nc.jetstream())
            user = str(uuid.uuid4())
            await best("parse_pls, 256 KB", runs, lambda: asyncio.to_thread(parse_pls, pls))
            await best(f"parse_json, {len(as_json)} B", runs,
                       lambda: asyncio.to_thread(parse_json, as_json))  # fmt: skip
            for k, lexicon in enumerate(lexicons):
                await store.put(user, f"full-{k}", lexicon)
            other = str(uuid.uuid4())  # the cap: 20 lexicons a user
            await store.put(other, "small", Lexicon(entries=lexicons[3].entries[:20]))
            await best("store.put of a full lexicon (replacing)", runs,
                       lambda: store.put(user, "full-0", lexicons[0]))  # fmt: skip
            await best("store.all + summaries, 20 full lexicons", runs,
                       lambda: _listed(store, user))  # fmt: skip
            small, full = dialogue(["small"]), dialogue([f"full-{k}" for k in range(20)])
            await best("submit's snapshot: 1 small lexicon, 20,000 chars", runs,
                       lambda: with_snapshot(small, user_id=other, store=store,
                                             catalogue=ESPEAK))  # fmt: skip
            await best("submit's snapshot: 20 full lexicons, 20,000 chars", runs,
                       lambda: with_snapshot(full, user_id=user, store=store,
                                             catalogue=ESPEAK))  # fmt: skip
            await nc.close()
        finally:
            server.stop()


async def _listed(store: LexiconStore, user: str) -> list[dict]:
    return [s.summary() for s in await store.all(user)]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main(parser.parse_args().runs))
