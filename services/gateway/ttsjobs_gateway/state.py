"""The gateway's ports, handed to routes by name as FastAPI dependencies.

``main.bootstrap()`` composes them once, at start-up, into ``Ports`` (kept on ``app.state``);
the providers below are the only readers of it. A route declares exactly the ports it uses,
``history: History``, ``reads: Reads``, ``audio: AudioFiles``…, and never sees the rest.

Every provider is an ``async def`` that reads one attribute: FastAPI runs a plain ``def``
dependency in its thread pool, a thread handoff on every request for one attribute read.
Their parameter is an ``HTTPConnection``, so WebSocket routes are handed ports the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends
from minio import Minio
from nats.aio.client import Client
from nats.js import JetStreamContext
from starlette.requests import HTTPConnection

from ttsjobs.jobs.deciding import JobHistory
from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs.observability.probes import Check
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.feeds.fan_out import FanOut
from ttsjobs_gateway.idempotency import IdempotencyKeys
from ttsjobs_gateway.lexicon_store import LexiconStore
from ttsjobs_gateway.limits import SubmissionRate
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.saved_voices import SavedVoices

if TYPE_CHECKING:  # auth.py hands out ``keys`` itself, through ports_of(): imported both ways
    from ttsjobs_gateway.auth import ApiKeys


@dataclass(frozen=True)
class Ports:
    """What bootstrap() composed; only it and the providers see the whole of it."""

    settings: Settings
    history: JobHistory  # a job's events, to decide its next one on (and only that)
    reads: JobReads  # every read of a job: the one read port (reads/current.py)
    catalogue: CatalogueView  # the voices the synthesis workers reported
    audio: Minio  # the audio and caption files
    stream: JetStreamContext  # the job event stream, for feeds that replay it
    feeds: FanOut  # live job events, fanned out to the open feeds
    idempotency: IdempotencyKeys
    rate: SubmissionRate
    keys: ApiKeys
    readiness: dict[str, Check]  # what /readyz asks
    # Users' pronunciation lexicons; None only where nothing reads them (unit tests, benches).
    lexicons: LexiconStore | None = None
    # Core NATS, for request-reply with the workers (pronunciation previews).
    nats: Client | None = None
    # Users' saved voices (blends under a name); None only where nothing reads them.
    saved_voices: SavedVoices | None = None


def ports_of(conn: HTTPConnection) -> Ports:
    ports: Ports = conn.app.state.ports
    return ports


async def gateway_settings(conn: HTTPConnection) -> Settings:
    return ports_of(conn).settings


async def job_history(conn: HTTPConnection) -> JobHistory:
    return ports_of(conn).history


async def job_reads(conn: HTTPConnection) -> JobReads:
    return ports_of(conn).reads


async def voice_catalogue(conn: HTTPConnection) -> CatalogueView:
    return ports_of(conn).catalogue


async def audio_files(conn: HTTPConnection) -> Minio:
    return ports_of(conn).audio


async def event_stream(conn: HTTPConnection) -> JetStreamContext:
    return ports_of(conn).stream


async def feed_fan_out(conn: HTTPConnection) -> FanOut:
    return ports_of(conn).feeds


async def idempotency_keys(conn: HTTPConnection) -> IdempotencyKeys:
    return ports_of(conn).idempotency


async def submission_rate(conn: HTTPConnection) -> SubmissionRate:
    return ports_of(conn).rate


async def lexicon_store(conn: HTTPConnection) -> LexiconStore:
    store = ports_of(conn).lexicons
    assert store is not None, "bootstrap() composes a LexiconStore"
    return store


async def saved_voice_store(conn: HTTPConnection) -> SavedVoices:
    store = ports_of(conn).saved_voices
    assert store is not None, "bootstrap() composes a SavedVoices"
    return store


async def nats_client(conn: HTTPConnection) -> Client:
    nats = ports_of(conn).nats
    assert nats is not None, "bootstrap() hands over its NATS connection"
    return nats


async def readiness_checks(conn: HTTPConnection) -> dict[str, Check]:
    return ports_of(conn).readiness


GatewaySettings = Annotated[Settings, Depends(gateway_settings)]
History = Annotated[JobHistory, Depends(job_history)]
Reads = Annotated[JobReads, Depends(job_reads)]
Voices = Annotated[CatalogueView, Depends(voice_catalogue)]
AudioFiles = Annotated[Minio, Depends(audio_files)]
EventStream = Annotated[JetStreamContext, Depends(event_stream)]
Feeds = Annotated[FanOut, Depends(feed_fan_out)]
Idempotency = Annotated[IdempotencyKeys, Depends(idempotency_keys)]
Rate = Annotated[SubmissionRate, Depends(submission_rate)]
Readiness = Annotated[dict[str, Check], Depends(readiness_checks)]
Lexicons = Annotated[LexiconStore, Depends(lexicon_store)]
Nats = Annotated[Client, Depends(nats_client)]
SavedVoicesPort = Annotated[SavedVoices, Depends(saved_voice_store)]
